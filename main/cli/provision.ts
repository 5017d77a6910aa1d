import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StaffPinSchema } from '../../app/contract';
import { KioskError } from '../../app/errors';
import { hashPassword } from '../../engine/http/users';
import { openAuditLog } from '../audit/auditLog';
import { readSettings, writeSettings } from '../settings/settingsFile';
import { describeIssues } from '../storage/stateFile';
import { ProvisioningSchema, isSetUp, provisioned, type Provisioning } from '../settings/provisioning';

export interface ProvisionOptions {
  backend: string | undefined;
  user: string | undefined;
  station: string | undefined;
  out: string | undefined;
  /** Leave a station that is already set up as it is (scripts/setup.sh's development station). */
  ifNotSetUp?: boolean;
}

/**
 * `provision`: IT sets a station up, with the staff PIN read from standard input (never a flag,
 * which would land in the shell history). Writes this machine's settings, or with `--out` a
 * provisioning file for an installer or MDM to drop into the data folder.
 */
export async function provision(options: ProvisionOptions, pinText: string, dataDir: string): Promise<{ text: string; data: Record<string, unknown> }> {
  const pin = pinText.replace(/\r?\n$/, '');
  if (!StaffPinSchema.safeParse(pin).success) throw new KioskError('invalid_request', 'Give the staff PIN (6 to 12 digits) on standard input.');
  if (!options.backend) throw new KioskError('invalid_request', 'Name the backend: --backend local, or --backend <service URL> --user <id>.');
  const backend = options.backend === 'local' ? { kind: 'local' } : { kind: 'remote', url: options.backend, userId: options.user };
  const parsed = ProvisioningSchema.safeParse({
    backend,
    staffPinHash: await hashPassword(pin),
    ...(options.station === undefined ? {} : { stationName: options.station }),
  });
  if (!parsed.success) {
    throw new KioskError('settings_invalid', describeIssues(parsed.error));
  }
  const where = describe(parsed.data);
  if (options.out) {
    // A file for another machine: this machine's settings are not read, let alone touched.
    await writeFile(options.out, `${JSON.stringify(parsed.data, null, 2)}\n`, { mode: 0o600 });
    return {
      text: `Wrote a provisioning file for ${where} to ${options.out}: drop it into the kiosk's data folder as provisioning.json.`,
      data: { out: options.out },
    };
  }
  const current = await readSettings(dataDir);
  if (options.ifNotSetUp && isSetUp(current)) return { text: 'This station is already set up; nothing changed.', data: { unchanged: true } };
  const settings = provisioned(current.settings, parsed.data);
  await writeSettings(dataDir, settings);
  const audit = openAuditLog(join(dataDir, 'audit.sqlite'));
  try {
    audit.recordStaffAction({ station: settings.stationName, action: 'station.provisioned', detail: { backend: settings.backend.kind, source: 'cli' } });
  } finally {
    audit.close();
  }
  return { text: `This station is set up for ${where}. Restart the kiosk to use it.`, data: { dataDir } };
}

const describe = (p: Provisioning) => (p.backend.kind === 'local' ? 'the built-in engine' : `${p.backend.url} as ${p.backend.userId}`);
