import { z } from 'zod';
import { type ContractName, type EventName } from './channels';
import type { BlinkEvidence } from './blink';
import { DOCUMENT_KINDS, type ExpiryStatus, type MrzFields } from './document/mrz';
import type { DocumentSighting } from './document/findDocument';
import { INPUT_LIMITS } from './imageRequirements';
import { REVIEW_REASONS, ReviewReasonSchema, VerdictReasonSchema } from './verdict';
import { AUDIT_RETENTION_FLOOR_DAYS, BackendSchema, CameraChoiceSchema, DEBUG_MAX_HOURS, SettingsSchema, StaffNamesInput, StationNameInput } from './settings';

export { CHANNEL_PREFIX, CONTRACT_NAMES, channelOf, type ContractName, type EventName } from './channels';

const NoInput = z.undefined();
/** Raw image bytes as captured or imported; size limits are enforced by main's imaging. */
const ImageBytes = z.instanceof(Uint8Array);

/**
 * A camera frame as the renderer reads it off its canvas: RGBA, row by row, nothing encoded.
 * Chromium's PNG encoder took ~100 ms for a 720p frame where reading the pixels takes ~30
 * (headless Chromium here, 2026-12-05); main encodes what the service needs from the pixels.
 */
export const RawFrameSchema = z
  .object({ rgba: ImageBytes, width: z.number().int().positive(), height: z.number().int().positive() })
  .refine((f) => f.width * f.height <= INPUT_LIMITS.maxFramePixels, { message: `A raw frame may hold at most ${INPUT_LIMITS.maxFramePixels} pixels` })
  .refine((f) => f.rgba.byteLength === f.width * f.height * 4, { message: 'A raw frame holds width × height × 4 bytes' });
export type RawFrame = z.infer<typeof RawFrameSchema>;

export const ImageInfoSchema = z.object({ width: z.number().int(), height: z.number().int() });

export const LivenessOutcomeSchema = z.object({
  requestId: z.string(),
  score: z.number(),
  pass: z.boolean(),
});

export const MatchOutcomeSchema = LivenessOutcomeSchema;

export const VerificationOutcomeSchema = z.object({
  /** `review`: a score too close to its pass point for the kiosk to decide (app/verdict.ts). */
  decision: z.enum(['verified', 'review', 'not_verified']),
  /** A member of staff holds this visit's review (staff view): the visitor is sent to the desk. */
  staffReview: z.boolean(),
  liveness: LivenessOutcomeSchema,
  /** Absent when liveness failed clearly: match is called on a pass or a borderline fail (app/verdict.ts matchNeeded). */
  match: MatchOutcomeSchema.optional(),
  durationMs: z.number(),
});
export type VerificationOutcome = z.infer<typeof VerificationOutcomeSchema>;

/** What the ID step may be told of the document read from its picture: nothing that names the visitor. */
export const DocumentCheckSchema = z.object({
  found: z.boolean(),
  kind: z.enum(DOCUMENT_KINDS).nullable(),
  issuingState: z.string().nullable(),
  /** `barcode`: no MRZ, the data read from a licence's PDF417 barcode (no check digits; its expiry judged). */
  mrz: z.enum(['verified', 'failed', 'barcode', 'none']),
  expiry: z.enum(['valid', 'expired', 'unknown']) satisfies z.ZodType<ExpiryStatus>,
});
export type DocumentCheck = z.infer<typeof DocumentCheckSchema>;

const PointSchema = z.object({ x: z.number(), y: z.number() });
/** The document in a guidance frame (app/document/findDocument.ts). */
export const DocumentSightingSchema = z.object({
  quad: z.tuple([PointSchema, PointSchema, PointSchema, PointSchema]).readonly(),
  fill: z.number(),
  tilt: z.number(),
  glare: z.number(),
  sharpness: z.number(),
  touchesEdge: z.boolean(),
  wholeImage: z.boolean(),
}) satisfies z.ZodType<DocumentSighting>;

/** The document's fields as read, for staff only (the review), with the ones a check digit confirmed. */
export const DocumentReadingSchema = DocumentCheckSchema.extend({
  format: z.string().nullable(),
  fields: z.object({
    documentNumber: z.string().nullable(),
    surname: z.string().nullable(),
    givenNames: z.string().nullable(),
    nationality: z.string().nullable(),
    birthDate: z.string().nullable(),
    expiryDate: z.string().nullable(),
    sex: z.enum(['F', 'M', 'X']).nullable(),
    issuingState: z.string().nullable(),
  }) satisfies z.ZodType<MrzFields>,
  confirmed: z.array(z.string()),
  /** Expiry entered by staff for a document without an MRZ (a driving licence's front). */
  expiryEnteredByStaff: z.boolean(),
});
export type DocumentReading = z.infer<typeof DocumentReadingSchema>;

/** A visit a member of staff must decide: why, the scores, and both images (staff view only). */
export const PendingReviewSchema = z.object({
  /** A score's verdict reason, or `error` with the error's code. */
  why: z.union([VerdictReasonSchema, z.literal('error')]),
  errorCode: z.string().nullable(),
  attempt: z.number().int(),
  since: z.string(),
  livenessScore: z.number().nullable(),
  matchScore: z.number().nullable(),
  idPhoto: ImageBytes,
  livePhoto: ImageBytes,
  /** The document read at the ID step, or null when only a portrait was given. */
  document: DocumentReadingSchema.nullable(),
});
export type PendingReview = z.infer<typeof PendingReviewSchema>;

export const ProgressSchema = z.object({
  attempt: z.number().int(),
  stage: z.enum(['preparing', 'liveness', 'match', 'done']),
});
export type Progress = z.infer<typeof ProgressSchema>;

export const AuditEntrySchema = z.object({
  id: z.number().int(),
  time: z.string(),
  station: z.string(),
  backend: z.enum(['local', 'remote']),
  backendUrl: z.string(),
  attempt: z.number().int(),
  livenessRequestId: z.string().nullable(),
  livenessScore: z.number().nullable(),
  livenessPass: z.boolean().nullable(),
  matchRequestId: z.string().nullable(),
  matchScore: z.number().nullable(),
  matchPass: z.boolean().nullable(),
  rejectionCode: z.string().nullable(),
  durationMs: z.number().int(),
  decision: z.enum(['verified', 'review', 'not_verified', 'error', 'cancelled']),
  /** Whether the images went with ?debug=true (kept at the service); null on rows from before it was recorded. */
  debug: z.boolean().nullable(),
  /**
   * The kiosk's blink watch for the capture (app/blink.ts): `seen` unasked, `prompted` after the
   * visitor was asked, `none` when no blink came; null when it was not watched (or before it was recorded).
   */
  blink: z.enum(['seen', 'prompted', 'none']).nullable(),
  /**
   * The ID document as read (app/document/): its kind and issuing state from the MRZ, whether it
   * had expired, whether every check digit held (`none`: no MRZ on the side shown). Never its
   * number, name or birth date. Null when no document was read (a portrait alone, older rows).
   */
  documentKind: DocumentCheckSchema.shape.kind,
  documentState: DocumentCheckSchema.shape.issuingState,
  documentExpiry: DocumentCheckSchema.shape.expiry.nullable(),
  documentMrz: DocumentCheckSchema.shape.mrz.nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

/** Which audit records: the staff view's filter (main adds paging defaults). */
export const AuditQuerySchema = z.object({
  decision: AuditEntrySchema.shape.decision.optional(),
  from: z.string().datetime().optional(),
  to: z.string().datetime().optional(),
});

/** One staff action as the audit database keeps it: `detail` is its JSON (names and states, never a secret). */
export const StaffActionEntrySchema = z.object({ id: z.number().int(), time: z.string(), station: z.string(), action: z.string(), detail: z.string() });
export type StaffActionEntry = z.infer<typeof StaffActionEntrySchema>;
export const StaffActionQuerySchema = AuditQuerySchema.omit({ decision: true });

/** The live step's blink watch for the capture it sends (app/blink.ts). */
export const BlinkEvidenceSchema = z.object({
  seen: z.boolean(),
  prompted: z.boolean(),
  waitedMs: z.number().int().min(0).max(60_000),
}) satisfies z.ZodType<BlinkEvidence>;

/** Settings as the renderer sees them: never the password or the PIN hash, only whether they exist. */
export const SettingsViewSchema = SettingsSchema.omit({ staffPinHash: true }).extend({
  passwordStored: z.boolean(),
  /** Set up by IT (provisioning): a station that is not verifies nobody. */
  provisioned: z.boolean(),
  /** Why the provisioning file found at this start was refused (unsigned, an old serial, another key…), or null. */
  provisioningRefused: z.string().nullable(),
  /** Until when staff-only requests are allowed (ISO time), or null when locked. */
  staffUnlockedUntil: z.string().nullable(),
});
export type SettingsView = z.infer<typeof SettingsViewSchema>;

/** A PIN as typed: checked by main against the hash (any length, so a wrong one is counted, not refused as malformed). */
const StaffPinInput = z.string().max(64);

/** Six digits at least: with the lockout (main/staff/pinLockout.ts), guessing takes years, not minutes. */
export const StaffPinSchema = z.string().regex(/^\d{6,12}$/, 'A PIN is 6 to 12 digits');

/**
 * The main↔renderer contract as data: one entry per method the preload exposes.
 * Main registers the whole table through one validating wrapper; the preload maps it 1:1.
 */
/** How sending audit records to the bank's collector stands (main/audit/syslogForwarder.ts). */
export const AuditForwardingSchema = z.object({
  /**
   * delivered: everything recorded has reached the collector; sending: a batch is out;
   * unreachable: the collector is away or did not confirm, records wait in the queue;
   * certificate_refused: its certificate is not one the station trusts, nothing is sent.
   */
  state: z.enum(['delivered', 'sending', 'unreachable', 'certificate_refused']),
  /** Records waiting to be sent. */
  queued: z.number().int(),
  /** Records kept on the station but never queued, because the queue was full. */
  notQueued: z.number().int(),
  /** When the collector last confirmed a batch (ISO), or null. */
  lastDelivered: z.string().nullable(),
  /** Why the last attempt failed (a stable code), or null. */
  lastError: z.string().nullable(),
});
export type AuditForwarding = z.infer<typeof AuditForwardingSchema>;

export const contract = {
  'settings.get': { input: NoInput, result: SettingsViewSchema },
  /** Staff only (after staff.unlock). */
  'settings.update': {
    input: z.object({
      backend: BackendSchema.optional(),
      debug: z.boolean().optional(),
      /** With debug: true, how long it stays on (default DEBUG_DEFAULT_HOURS). */
      debugHours: z.number().min(0.25).max(DEBUG_MAX_HOURS).optional(),
      requestTimeoutMs: SettingsSchema.shape.requestTimeoutMs.unwrap().optional(),
      stationName: StationNameInput.optional(),
      language: SettingsSchema.shape.language.unwrap().optional(),
      idleTimeoutSeconds: SettingsSchema.shape.idleTimeoutSeconds.unwrap().optional(),
      cameras: z.object({ id: CameraChoiceSchema.optional(), live: CameraChoiceSchema.optional() }).optional(),
      auditRetentionDays: z.number().int().min(AUDIT_RETENTION_FLOOR_DAYS).max(3650).optional(),
      consentRequired: z.boolean().optional(),
      consentText: SettingsSchema.shape.consentText.unwrap().optional(),
      reviewMarginPercent: SettingsSchema.shape.reviewMarginPercent.unwrap().optional(),
      sayNotVerified: z.boolean().optional(),
      seatedVisitors: z.boolean().optional(),
      blinkCheck: SettingsSchema.shape.blinkCheck.unwrap().optional(),
      documentRules: SettingsSchema.shape.documentRules.unwrap().optional(),
      staffNames: StaffNamesInput.optional(),
      staffIdleSeconds: SettingsSchema.shape.staffIdleSeconds.unwrap().optional(),
      /** The staff PIN again: required to turn debug on or change the backend (staff.confirm in main). */
      pin: StaffPinInput.optional(),
    }),
    result: SettingsViewSchema,
  },
  /** Staff only. Write-only: the password goes straight to the OS keychain and is never read back. */
  'credentials.setPassword': {
    input: z.object({ password: z.string().min(1).max(1024), pin: StaffPinInput }),
    result: z.object({ stored: z.literal(true) }),
  },
  'connection.test': { input: NoInput, result: z.object({ tokenExpiresAt: z.string().nullable() }) },
  /** Opens staff-only requests for a few minutes (staff.identify then names who decides reviews). */
  'staff.unlock': { input: z.object({ pin: StaffPinInput }), result: z.object({ until: z.string() }) },
  /** Once unlocked: staff choose their name from the station's list (staffNames); it signs the reviews they decide. */
  'staff.identify': { input: z.object({ name: z.string().max(60) }), result: z.object({ reviewer: z.string() }) },
  'staff.lock': { input: NoInput, result: z.object({ locked: z.literal(true) }) },
  /** Staff are still at the staff view (it reports their touches): main keeps their window open. */
  'staff.active': { input: NoInput, result: z.object({ active: z.literal(true) }) },
  /** Staff only: the audit log, newest first. */
  'audit.list': {
    input: AuditQuerySchema.extend({ limit: z.number().int().min(1).max(1000).optional(), offset: z.number().int().min(0).optional() }),
    result: z.object({
      records: z.array(AuditEntrySchema),
      total: z.number().int(),
      /** How sending the records to the bank's collector stands; null: none provisioned. */
      forwarding: AuditForwardingSchema.nullable(),
    }),
  },
  /** Staff only: the filtered audit log as CSV text. */
  'audit.exportCsv': { input: AuditQuerySchema, result: z.object({ csv: z.string(), count: z.number().int() }) },
  /** Staff only: what staff did (and the station's own locks and provisioning), newest first. */
  'audit.staffActions': {
    input: StaffActionQuerySchema.extend({ limit: z.number().int().min(1).max(1000).optional() }),
    result: z.object({ actions: z.array(StaffActionEntrySchema), total: z.number().int() }),
  },
  /** Staff only: the staff actions as CSV text. */
  'audit.exportStaffCsv': { input: StaffActionQuerySchema, result: z.object({ csv: z.string(), count: z.number().int() }) },
  /** Staff only, with the PIN again: the one way out of kiosk mode (the window ignores close shortcuts). */
  'staff.quitKiosk': { input: z.object({ pin: StaffPinInput }), result: z.object({ quitting: z.literal(true) }) },
  /** The first PIN needs no current one; changing it needs the current PIN. Unlocks on success. */
  'staff.setPin': { input: z.object({ current: StaffPinInput, pin: StaffPinSchema }), result: z.object({ until: z.string() }) },
  'verification.setIdPhoto': { input: ImageBytes, result: ImageInfoSchema },
  /**
   * The picture the ID portrait came from (the ID camera's frame, or the file staff imported):
   * main finds the document, straightens it and starts reading its MRZ, keeping what it reads for
   * this visit. Answered once the document is straightened, before the MRZ is read.
   */
  'verification.setIdDocument': {
    input: z.object({ image: ImageBytes, wholeImage: z.boolean() }),
    /** `straightened`: the document, perspective removed, as JPEG, for the ID step to find the portrait in; null when none was found. */
    result: z.object({ straightened: ImageBytes.nullable() }),
  },
  /** The document set by setIdDocument, once read: its kind and state, never who it names. */
  'verification.documentRead': { input: NoInput, result: DocumentCheckSchema },
  /** Staff's entry of the expiry date printed on a document that has no MRZ on the side shown. */
  'verification.setDocumentExpiry': { input: z.object({ expiryDate: z.iso.date() }), result: DocumentCheckSchema },
  /**
   * One small frame of the ID camera (≤ 640 px, JPEG): where the document is, for guidance.
   * Found in main because OpenCV.js needs eval, which the renderer's CSP forbids.
   */
  'document.find': { input: z.object({ image: ImageBytes }), result: z.object({ sighting: DocumentSightingSchema.nullable() }) },
  /**
   * The live frame (its pixels, or an encoded image) and its face's pupil distance as the kiosk
   * measured it (camera pixels): main scales the frame so the pupils are 90 px apart
   * (app/captureGeometry.ts). Without it (a manual capture with no face measured) the frame is
   * sent as it is.
   */
  'verification.setLivePhoto': {
    input: z.object({
      image: z.union([ImageBytes, RawFrameSchema]),
      interpupillaryPx: z.number().positive().max(4000).optional(),
      blink: BlinkEvidenceSchema.optional(),
    }),
    result: ImageInfoSchema,
  },
  'verification.run': { input: z.object({ attempt: z.number().int().min(1) }), result: VerificationOutcomeSchema },
  /** The visitor's answer to the consent notice, for the audit log; nothing of theirs is processed before "I agree". */
  'verification.consent': { input: z.object({ agreed: z.boolean() }), result: z.object({ recorded: z.literal(true) }) },
  /** Wipes both images from main's memory (and any review waiting on them); `images`: how many image buffers it zeroed. */
  'verification.reset': { input: NoInput, result: z.object({ wiped: z.literal(true), images: z.number().int().min(0) }) },
  /** Staff only: the visit waiting for a person's decision, with both images, or null. */
  'review.get': { input: NoInput, result: z.object({ pending: PendingReviewSchema.nullable() }) },
  /** Staff only: approve or deny with a reason from the list; recorded with the reviewer, then the images are wiped. */
  'review.decide': {
    input: z
      .object({ approved: z.boolean(), reason: ReviewReasonSchema })
      .refine((d) => (REVIEW_REASONS[d.approved ? 'approve' : 'deny'] as readonly string[]).includes(d.reason), 'That reason is not for this decision'),
    result: z.object({ recorded: z.literal(true) }),
  },
} as const satisfies Record<ContractName, { input: z.ZodType; result: z.ZodType }>;

export type Contract = typeof contract;
export type InputOf<N extends ContractName> = z.infer<Contract[N]['input']>;
export type ResultOf<N extends ContractName> = z.infer<Contract[N]['result']>;

/** Events main pushes to the renderer. */
export const events = {
  'verification.progress': ProgressSchema,
} as const satisfies Record<EventName, z.ZodType>;
