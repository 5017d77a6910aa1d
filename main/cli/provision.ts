import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StaffPinSchema } from '../../app/contract';
import { KioskError } from '../../app/errors';
import { hashPassword } from '../../engine/http/users';
import type { CredentialStore } from '../credentials/keychain';
import { pinMatches, stationPepper } from '../staff/pinPepper';
import { auditChainKey } from '../audit/auditChain';
import { openAuditLog } from '../audit/auditLog';
import { readSettings, writeSettings } from '../settings/settingsFile';
import { describeIssues } from '../storage/stateFile';
import { newItKeyPair, signText, storedPublicKey } from '../settings/itKey';
import { ProvisioningSchema, describeBackend, isSetUp, provisioned } from '../settings/provisioning';

export interface ProvisionOptions {
  backend: string | undefined;
  user: string | undefined;
  station: string | undefined;
  out: string | undefined;
  /** IT's private key (PEM): `--out` writes a signed file, which a set-up station accepts. */
  sign?: string | undefined;
  /** The signed file's serial (default: seconds since 1970, so a newer file has a larger one). */
  serial?: string | undefined;
  /** IT's public key (PEM) for the station to trust from now on. */
  trustKey?: string | undefined;
  /** A hosted service gets liveness and match at once (settings.ts `checksAtOnce`). */
  checksAtOnce?: boolean;
  /** The bank's syslog collector, host:port, and the PEM file of the CA its certificate chains to. */
  auditCollector?: string | undefined;
  auditCollectorCa?: string | undefined;
  /** Leave a station that is already set up as it is (scripts/setup.sh's development station). */
  ifNotSetUp?: boolean;
}

/**
 * `provision`: IT sets a station up, with the staff PIN read from standard input (never a flag,
 * which would land in the shell history). Writes this machine's settings, or with `--out` a
 * provisioning file for an installer or MDM to drop into the data folder (signed with `--sign`:
 * the only kind a set-up station applies). Re-provisioning this machine once it is set up takes
 * its current PIN first: two lines on standard input, the current PIN then the new one.
 */
export async function provision(
  options: ProvisionOptions,
  pinText: string,
  dataDir: string,
  /** The keychain holding the station's PIN pepper, to check its current PIN. */
  store: CredentialStore,
  now = Date.now,
): Promise<{ text: string; data: Record<string, unknown> }> {
  const current = options.out ? null : await readSettings(dataDir);
  const setUp = current !== null && isSetUp(current);
  if (setUp && options.ifNotSetUp) return { text: 'This station is already set up; nothing changed.', data: { unchanged: true } };
  const lines = pinText.split(/\r?\n/).filter((line) => line.length > 0);
  const [currentPin, pin] = setUp ? [lines[0], lines[1]] : [undefined, lines[0]];
  if (!StaffPinSchema.safeParse(pin).success) {
    throw new KioskError(
      'invalid_request',
      setUp
        ? 'This station is set up: give its current staff PIN, then the new one (6 to 12 digits), on two lines of standard input.'
        : 'Give the staff PIN (6 to 12 digits) on standard input.',
    );
  }
  if (setUp && !(await pinMatches(currentPin ?? '', current.settings.staffPinHash!, stationPepper(store, dataDir)))) {
    throw new KioskError('pin_rejected', "That is not this station's current staff PIN: nothing changed.");
  }
  if (!options.backend) throw new KioskError('invalid_request', 'Name the backend: --backend local, or --backend <service URL> --user <id>.');
  const backend = options.backend === 'local' ? { kind: 'local' } : { kind: 'remote', url: options.backend, userId: options.user };
  const signingKey = options.sign === undefined ? undefined : await readKey(options.sign);
  const trusted = options.trustKey ?? (signingKey === undefined ? undefined : options.sign);
  const serial = options.serial === undefined ? Math.floor(now() / 1000) : Number(options.serial);
  const parsed = ProvisioningSchema.safeParse({
    backend,
    staffPinHash: await hashPassword(pin!),
    ...(options.station === undefined ? {} : { stationName: options.station }),
    ...(options.checksAtOnce ? { checksAtOnce: true } : {}),
    ...(options.auditCollector === undefined ? {} : { auditCollector: await collector(options.auditCollector, options.auditCollectorCa) }),
    ...(trusted === undefined ? {} : { itPublicKey: storedPublicKey(await readKey(trusted)) }),
    ...(signingKey === undefined ? {} : { serial }),
  });
  if (!parsed.success) {
    throw new KioskError('settings_invalid', describeIssues(parsed.error));
  }
  const where = describeBackend(parsed.data.backend);
  if (options.out) {
    // A file for another machine: this machine's settings are not read, let alone touched.
    const text = JSON.stringify(parsed.data);
    const file = signingKey === undefined ? parsed.data : { signed: text, signature: signText(text, signingKey) };
    await writeFile(options.out, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
    const kind =
      signingKey === undefined ? 'an unsigned provisioning file (only a station not yet set up applies it)' : `a signed provisioning file (serial ${serial})`;
    return {
      text: `Wrote ${kind} for ${where} to ${options.out}: drop it into the kiosk's data folder as provisioning.json.`,
      data: { out: options.out, signed: signingKey !== undefined },
    };
  }
  const settings = provisioned(current!.settings, parsed.data);
  await writeSettings(dataDir, settings);
  const audit = openAuditLog(join(dataDir, 'audit.sqlite'), { chainKey: await auditChainKey(store, dataDir)().catch(() => null) });
  try {
    audit.recordStaffAction({ station: settings.stationName, action: 'station.provisioned', detail: { backend: settings.backend.kind, source: 'cli' } });
  } finally {
    audit.close();
  }
  return { text: `This station is set up for ${where}. Restart the kiosk to use it.`, data: { dataDir } };
}

/** `--audit-collector host:port --audit-collector-ca ca.pem` as the settings hold it. */
async function collector(address: string, caFile: string | undefined) {
  const match = /^(.+):(\d{1,5})$/.exec(address);
  if (!match)
    throw new KioskError('invalid_request', `--audit-collector takes host:port (the collector's syslog-over-TLS port, usually 6514), not "${address}".`);
  if (!caFile)
    throw new KioskError(
      'invalid_request',
      "--audit-collector needs --audit-collector-ca FILE: the PEM certificate of the CA that signed the collector's certificate.",
    );
  let caPem: string;
  try {
    caPem = await readFile(caFile, 'utf8');
  } catch (error) {
    throw new KioskError('invalid_request', `The CA file ${caFile} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  return { host: match[1]!.replace(/^\[|\]$/g, ''), port: Number(match[2]), caPem };
}

/** `provisioning-key`: a new IT key pair in `dir`, the private key readable by its owner only. */
export async function provisioningKey(dir: string | undefined): Promise<{ text: string; data: Record<string, unknown> }> {
  if (!dir) throw new KioskError('invalid_request', 'Name the folder for the key pair: --out DIR.');
  const { privatePem, publicPem } = newItKeyPair();
  const privatePath = join(dir, 'it-provisioning.key');
  const publicPath = join(dir, 'it-provisioning.pub');
  // wx: never overwrite a key IT already uses.
  await writeFile(privatePath, privatePem, { mode: 0o600, flag: 'wx' });
  await writeFile(publicPath, publicPem, { flag: 'wx' });
  return {
    text: `Wrote IT's provisioning key pair: ${privatePath} (keep it offline; sign with provision --out FILE --sign it) and ${publicPath} (a station trusts it with provision --trust-key).`,
    data: { privateKey: privatePath, publicKey: publicPath },
  };
}

const readKey = (path: string) =>
  readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new KioskError('invalid_request', `Cannot read the key file ${path} (${error.code ?? 'unknown'}).`);
  });
