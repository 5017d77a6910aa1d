/**
 * Provisioning: IT, not the first person at the screen, sets a station up. The staff PIN's hash
 * and the backend come from a provisioning file the installer or MDM drops into the data folder
 * (or `npm run cli -- provision`, which writes the same settings). Until a station is set up it
 * verifies nobody (main/ipc/handlers.ts) and shows "This station is not set up".
 */
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { BackendSchema, SettingsSchema, type Settings } from '../../app/settings';
import { fileStamp, readJsonFile } from '../storage/stateFile';
import { writeSettings, type SettingsRead } from './settingsFile';

export const PROVISIONING_FILE = 'provisioning.json';

export const ProvisioningSchema = z
  .object({
    backend: BackendSchema,
    /** scrypt hash of the staff PIN (`npm run cli -- provision --out FILE` makes one); never the PIN. */
    staffPinHash: z.string().regex(/^scrypt\$\d+\$\d+\$\d+\$[^$]+\$[^$]+$/, 'must be a scrypt hash from "npm run cli -- provision --out"'),
    stationName: SettingsSchema.shape.stationName.unwrap().optional(),
    language: SettingsSchema.shape.language.unwrap().optional(),
    auditRetentionDays: SettingsSchema.shape.auditRetentionDays.unwrap().optional(),
  })
  .strict();
export type Provisioning = z.infer<typeof ProvisioningSchema>;

/** Set up: a settings file that reads cleanly and holds a staff PIN. Missing or corrupt is not. */
export const isSetUp = (read: SettingsRead): boolean => read.status === 'ok' && read.settings.staffPinHash !== null;

/** The station's settings with IT's provisioning laid over them. */
export const provisioned = (base: Settings, provisioning: Provisioning): Settings => SettingsSchema.parse({ ...base, ...provisioning });

export type ProvisioningOutcome =
  { status: 'none' } | { status: 'applied'; settings: Settings; keptAs: string } | { status: 'rejected'; reason: string; keptAs: string };

/**
 * Applies a dropped provisioning file once: written into settings.json, then renamed
 * `.applied-<time>` so a restart does not re-apply it (a new drop re-provisions, e.g. a PIN IT
 * reset). A file that does not validate is renamed `.rejected-<time>` and changes nothing.
 */
export async function applyProvisioningFile(dataDir: string, current: SettingsRead, now: () => Date = () => new Date()): Promise<ProvisioningOutcome> {
  const path = join(dataDir, PROVISIONING_FILE);
  const read = await readJsonFile(path, ProvisioningSchema);
  if (read.status === 'missing') return { status: 'none' };
  const stamp = fileStamp(now());
  if (read.status === 'invalid') {
    const keptAs = `${path}.rejected-${stamp}`;
    await rename(path, keptAs);
    return { status: 'rejected', reason: read.reason, keptAs };
  }
  const settings = provisioned(current.settings, read.value);
  await writeSettings(dataDir, settings);
  const keptAs = `${path}.applied-${stamp}`;
  await rename(path, keptAs);
  return { status: 'applied', settings, keptAs };
}
