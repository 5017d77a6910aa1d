import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, SettingsSchema, type Settings } from '../../app/settings';
import { fileStamp, readJsonFile, writeFileAtomic } from '../storage/stateFile';

export const SETTINGS_FILE = 'settings.json';

export type SettingsRead =
  | { status: 'ok'; settings: Settings }
  | { status: 'missing'; settings: Settings }
  /** The file could not be used: it was moved to `keptAs`; the station is not set up until IT provisions it again. */
  | { status: 'corrupt'; settings: Settings; keptAs: string; reason: string };

export async function readSettings(dataDir: string, now: () => Date = () => new Date()): Promise<SettingsRead> {
  const path = join(dataDir, SETTINGS_FILE);
  const read = await readJsonFile(path, SettingsSchema);
  if (read.status === 'missing') return { status: 'missing', settings: DEFAULT_SETTINGS };
  if (read.status === 'ok') return { status: 'ok', settings: read.value };
  // Keep the bad file for IT to inspect, never overwrite it.
  const keptAs = `${path}.corrupt-${fileStamp(now())}`;
  await rename(path, keptAs);
  return { status: 'corrupt', settings: DEFAULT_SETTINGS, keptAs, reason: read.reason };
}

export async function writeSettings(dataDir: string, settings: Settings): Promise<void> {
  await writeFileAtomic(dataDir, SETTINGS_FILE, `${JSON.stringify(SettingsSchema.parse(settings), null, 2)}\n`);
}
