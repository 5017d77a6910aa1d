import { z } from 'zod';
import { BLINK_CHECKS } from './blink';
import { DOCUMENT_KINDS } from './document/mrz';

/** Where verifications go: the built-in local engine, or a hosted Biointellic service. */
export const BackendSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('local') }),
  z.object({
    kind: z.literal('remote'),
    url: z.string().url(),
    // Basic auth joins userId and password with ':', so a ':' in the userId cannot be sent.
    userId: z
      .string()
      .min(1)
      .max(200)
      .refine((v) => !v.includes(':'), 'A user id cannot contain ":"'),
  }),
]);
export type Backend = z.infer<typeof BackendSchema>;

export const CameraChoiceSchema = z.object({ deviceId: z.string().max(512), label: z.string().max(512) });
export type CameraChoice = z.infer<typeof CameraChoiceSchema>;

/** The kiosk's catalogues (renderer/src/i18n): the visitor picks one on the attract screen. */
export const LANGUAGES = ['en', 'fr', 'es', 'de', 'ar', 'pt'] as const;
export type Language = (typeof LANGUAGES)[number];

/**
 * A name a person gave (the station's, a member of staff's), as staff and IT may enter it: letters
 * (any script), digits, spaces and . , ' ’ ( ) / # & _ -, starting with a letter or digit. It is
 * shown on screens and exported to spreadsheets: nothing that starts a formula (= + - @) or markup.
 */
const personalName = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .regex(/^[\p{L}\p{N}][\p{L}\p{M}\p{N} .,'’()/#&_-]*$/u, "Use letters, digits, spaces and . , ' ( ) / # & _ - only, starting with a letter or digit");
/** What staff and IT may set as the station's name (empty: none). Stored files are read as they are. */
export const StationNameInput = z.union([z.literal(''), personalName(100)]);
/** What staff may set as the names chosen at unlock. */
export const StaffNamesInput = z.array(personalName(60)).max(30);

/** Non-secret settings, kept in a JSON file in the app's data directory. Never the password. */
export const SettingsSchema = z.object({
  version: z.literal(1).default(1),
  backend: BackendSchema.default({ kind: 'local' }),
  /** When on, the service keeps uploaded images for troubleshooting (?debug=true). */
  debug: z.boolean().default(false),
  /**
   * When debug switches itself off (ISO time): staff choose how long, at most DEBUG_MAX_HOURS.
   * Debug without an end (a settings file from before this existed) counts as off.
   */
  debugUntil: z.string().datetime().nullable().default(null),
  requestTimeoutMs: z.number().int().min(1_000).max(120_000).default(30_000),
  stationName: z.string().max(100).default(''),
  /** The language the kiosk starts in and returns to after each visitor. */
  language: z.enum(LANGUAGES).default('en'),
  /** Back to the attract screen, images wiped, after this long without input. */
  idleTimeoutSeconds: z.number().int().min(15).max(600).default(60),
  /** Remembered by label too: deviceIds change when a camera is replugged or the OS updates. */
  cameras: z.object({ id: CameraChoiceSchema.optional(), live: CameraChoiceSchema.optional() }).default({}),
  /** Audit records older than this are purged (at start and daily); never below AUDIT_RETENTION_FLOOR_DAYS. */
  auditRetentionDays: z.number().int().min(1).max(3650).default(90),
  /** Visitors are seated (the camera mounted low): guidance expects a face seen from below (app/guidance.ts). */
  seatedVisitors: z.boolean().default(false),
  /**
   * The kiosk's own second liveness signal (app/blink.ts): `prompt` asks a visitor who has not
   * blinked by the capture to blink; `passive` only watches a little longer; `off` captures
   * without it. A capture without a blink is never "Verified" unless this is off.
   */
  blinkCheck: z.enum(BLINK_CHECKS).default('prompt'),
  /**
   * The ID document's rules (app/verdict.ts withDocument): an expired document or one whose check
   * digits fail always goes to staff; `requireMrz` sends one without a readable MRZ to staff too;
   * a document of a kind not in `acceptedKinds` likewise.
   */
  documentRules: z
    .object({
      requireMrz: z.boolean().default(false),
      acceptedKinds: z
        .array(z.enum(DOCUMENT_KINDS))
        .min(1)
        .default([...DOCUMENT_KINDS]),
    })
    .default({ requireMrz: false, acceptedKinds: [...DOCUMENT_KINDS] }),
  /** Ask each visitor for consent before any face is processed (GDPR art. 9, BIPA). On unless staff turn it off. */
  consentRequired: z.boolean().default(true),
  /** The consent notice staff wrote; empty: the standard notice in the visitor's language. */
  consentText: z.string().max(2000).default(''),
  /**
   * Scores closer than this to their pass point (as a percentage of the score's scale: 5 is ±0.05
   * liveness, ±5 match) go to a member of staff instead of a verdict. 0 turns review off.
   */
  reviewMarginPercent: z.number().min(0).max(50).default(5),
  /**
   * On a hosted service, send liveness and match together rather than match only after liveness
   * passed: a verdict sooner, at the cost of a match call for every capture that is not live. The
   * built-in engine always does (main/verification/session.ts).
   */
  checksAtOnce: z.boolean().default(false),
  /** Say "Not verified" on screen after the last unsuccessful attempt; off: "Please see a member of staff". */
  sayNotVerified: z.boolean().default(false),
  /** The staff view locks itself and returns to the visitor's screen after this long untouched (main/staff/staffAccess.ts). */
  staffIdleSeconds: z.number().int().min(30).max(120).default(60),
  /** The names staff pick at unlock, so each review records who decided; empty: recorded as "staff". */
  staffNames: z.array(z.string().trim().min(1).max(60)).max(30).default([]),
  /**
   * The bank's log collector: every audit record and staff action is sent to it as RFC 5424
   * syslog over TLS (main/audit/syslogForwarder.ts), its certificate checked against `caPem`.
   * Set by IT's provisioning; read when the kiosk starts. Null: records stay on this station.
   */
  auditCollector: z
    .object({
      host: z.string().min(1).max(253),
      port: z.number().int().min(1).max(65_535),
      caPem: z
        .string()
        .max(20_000)
        .regex(/-----BEGIN CERTIFICATE-----/, 'must be a PEM certificate'),
    })
    .strict()
    .nullable()
    .default(null),
  /** IT's provisioning key (base64 Ed25519 SPKI DER): a set-up station applies only provisioning files it signed (main/settings/provisioning.ts). */
  itPublicKey: z.string().max(200).nullable().default(null),
  /** The serial of the last signed provisioning file applied: an older or equal one is refused. */
  provisioningSerial: z.number().int().min(0).default(0),
  /** scrypt hash of the staff PIN; null until staff choose one. Never sent to the renderer. */
  staffPinHash: z.string().nullable().default(null),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = SettingsSchema.parse({});

/** The staff view tells main that staff are still there at most this often (renderer/src/screens/useStaffIdle.ts). */
export const STAFF_ACTIVITY_REPORT_MS = 10_000;

/** An audit trail shorter than this cannot answer a complaint: retention never goes below it. */
export const AUDIT_RETENTION_FLOOR_DAYS = 30;

/** Debug keeps every visitor's images at the service: it cannot be left on longer than this. */
export const DEBUG_MAX_HOURS = 24;
export const DEBUG_DEFAULT_HOURS = 1;

/** Whether debug is on now: switched on and not yet past its end. */
export const debugActive = (settings: Pick<Settings, 'debug' | 'debugUntil'>, now: number) =>
  settings.debug && settings.debugUntil !== null && now < Date.parse(settings.debugUntil);
