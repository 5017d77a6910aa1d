/**
 * Provisioning: IT, not the first person at the screen, sets a station up. The staff PIN's hash
 * and the backend come from a provisioning file the installer or MDM drops into the data folder
 * (or `npm run cli -- provision`, which writes the same settings). Until a station is set up it
 * verifies nobody (main/ipc/handlers.ts) and shows "This station is not set up".
 */
import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { BackendSchema, SettingsSchema, StationNameInput, type Settings } from '../../app/settings';
import { describeIssues } from '../storage/stateFile';
import { verifyText } from './itKey';
import { writeSettings, type SettingsRead } from './settingsFile';

export const PROVISIONING_FILE = 'provisioning.json';

/**
 * The weakest scrypt a PIN hash may use: what the kiosk itself makes (engine/http/users.ts). A
 * file with cheaper settings would make a stolen hash quicker to crack.
 */
export const MIN_SCRYPT = { N: 16_384, r: 8, p: 1 } as const;
const strongScrypt = (hash: string) => {
  const [, n, r, p] = hash.split('$').map(Number);
  return n! >= MIN_SCRYPT.N && r! >= MIN_SCRYPT.r && p! >= MIN_SCRYPT.p;
};

export const ProvisioningSchema = z
  .object({
    backend: BackendSchema,
    /** scrypt hash of the staff PIN (`npm run cli -- provision --out FILE` makes one); never the PIN. */
    staffPinHash: z
      .string()
      .regex(/^scrypt\$\d+\$\d+\$\d+\$[^$]+\$[^$]+$/, 'must be a scrypt hash from "npm run cli -- provision --out"')
      .refine(strongScrypt, `scrypt settings below N=${MIN_SCRYPT.N}, r=${MIN_SCRYPT.r}, p=${MIN_SCRYPT.p}`),
    stationName: StationNameInput.optional(),
    language: SettingsSchema.shape.language.unwrap().optional(),
    auditRetentionDays: SettingsSchema.shape.auditRetentionDays.unwrap().optional(),
    /** A hosted service: send liveness and match together (settings.ts). */
    checksAtOnce: SettingsSchema.shape.checksAtOnce.unwrap().optional(),
    /** Where audit records go as syslog over TLS (settings.ts); null stops forwarding. */
    auditCollector: SettingsSchema.shape.auditCollector.unwrap().optional(),
    /** Signed files: newer than the last applied, or refused (an old file cannot be replayed). */
    serial: z.number().int().positive().optional(),
    /** The IT public key (base64 SPKI DER) the station trusts from now on: `npm run cli -- provisioning-key`. */
    itPublicKey: z.string().max(200).optional(),
  })
  .strict();
export type Provisioning = z.infer<typeof ProvisioningSchema>;

/** A signed provisioning file: the provisioning's JSON text exactly as signed, and IT's Ed25519 signature of it. */
export const SignedProvisioningSchema = z.object({ signed: z.string().max(20_000), signature: z.string().max(200) }).strict();

/** A backend in words, for IT's command line. */
export const describeBackend = (backend: Settings['backend']) => (backend.kind === 'local' ? 'the built-in engine' : `${backend.url} as ${backend.userId}`);

/** Set up: a settings file that reads cleanly and holds a staff PIN. Missing or corrupt is not. */
export const isSetUp = (read: SettingsRead): boolean => read.status === 'ok' && read.settings.staffPinHash !== null;

/** The station's settings with IT's provisioning laid over them (the serial and key it brings recorded). */
export function provisioned(base: Settings, provisioning: Provisioning): Settings {
  const { serial, itPublicKey, ...fields } = provisioning;
  return SettingsSchema.parse({
    ...base,
    ...fields,
    provisioningSerial: serial ?? base.provisioningSerial,
    itPublicKey: itPublicKey ?? base.itPublicKey,
  });
}

export type ProvisioningOutcome = { status: 'none' } | { status: 'applied'; settings: Settings; signed: boolean } | { status: 'rejected'; reason: string };

/**
 * What a dropped provisioning file would do to a station in the state `current`, without doing
 * it: the provisioning to apply, or why it is refused. A station that is not set up yet takes a
 * plain file (the first setup, as the CLI does it) or a signed one carrying its own key. A set-up
 * station takes only a file signed by the key it trusts, with a serial newer than the last one
 * applied: a file anyone dropped, or an old one replayed, changes nothing.
 */
export async function judgeProvisioningFile(
  dataDir: string,
  current: SettingsRead,
): Promise<{ status: 'none' } | { status: 'accept'; provisioning: Provisioning; signed: boolean } | { status: 'reject'; reason: string }> {
  let text: string;
  try {
    text = await readFile(join(dataDir, PROVISIONING_FILE), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? { status: 'none' } : { status: 'reject', reason: `cannot be read (${code ?? 'unknown'})` };
  }
  const reject = (reason: string) => ({ status: 'reject' as const, reason });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return reject(`not valid JSON (${(error as Error).message})`);
  }
  const setUp = isSetUp(current);
  const envelope = SignedProvisioningSchema.safeParse(json);
  let payload: unknown = json;
  if (envelope.success) {
    try {
      payload = JSON.parse(envelope.data.signed);
    } catch {
      return reject('the signed part is not valid JSON');
    }
  }
  const parsed = ProvisioningSchema.safeParse(payload);
  if (!parsed.success) return reject(describeIssues(parsed.error));
  const provisioning = parsed.data;
  if (!envelope.success) {
    if (setUp) return reject("not signed: a station that is set up applies only a provisioning file signed by IT's key");
    return { status: 'accept', provisioning, signed: false };
  }
  const trusted = setUp ? current.settings.itPublicKey : provisioning.itPublicKey;
  if (!trusted) return reject('this station trusts no IT key: set it once with "npm run cli -- provision --trust-key FILE" and the current PIN');
  if (!verifyText(envelope.data.signed, envelope.data.signature, trusted)) return reject('the signature does not verify with the IT key this station trusts');
  if (setUp && (provisioning.serial ?? 0) <= current.settings.provisioningSerial)
    return reject(`serial ${provisioning.serial ?? 'missing'} is not newer than the last applied (${current.settings.provisioningSerial})`);
  return { status: 'accept', provisioning, signed: true };
}

/**
 * Applies a dropped provisioning file once (judgeProvisioningFile) and deletes it either way:
 * an applied file kept beside the settings would be a PIN hash to crack and a file to replay; a
 * refused one is reported (the log, the audit trail, the staff view) and changes nothing.
 */
export async function applyProvisioningFile(dataDir: string, current: SettingsRead): Promise<ProvisioningOutcome> {
  const judged = await judgeProvisioningFile(dataDir, current);
  if (judged.status === 'none') return judged;
  const remove = () => unlink(join(dataDir, PROVISIONING_FILE)).catch(() => undefined);
  if (judged.status === 'reject') {
    await remove();
    return { status: 'rejected', reason: judged.reason };
  }
  const settings = provisioned(current.settings, judged.provisioning);
  await writeSettings(dataDir, settings);
  await remove();
  return { status: 'applied', settings, signed: judged.signed };
}
