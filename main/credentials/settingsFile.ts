import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, SettingsSchema, type Settings } from '../../app/settings';

export const SETTINGS_FILE = 'settings.json';

export type SettingsRead =
  | { status: 'ok'; settings: Settings }
  | { status: 'missing'; settings: Settings }
  /** The file could not be used: it was moved to `keptAs` and defaults apply until staff save. */
  | { status: 'corrupt'; settings: Settings; keptAs: string; reason: string };

export async function readSettings(dataDir: string, now: () => Date = () => new Date()): Promise<SettingsRead> {
  const path = join(dataDir, SETTINGS_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'missing', settings: DEFAULT_SETTINGS };
    throw error;
  }
  let reason: string;
  try {
    const parsed = SettingsSchema.safeParse(JSON.parse(text));
    if (parsed.success) return { status: 'ok', settings: parsed.data };
    reason = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  } catch (error) {
    reason = `not valid JSON (${(error as Error).message})`;
  }
  // Keep the bad file for IT to inspect; the next save writes a fresh one beside it.
  const keptAs = join(dataDir, `${SETTINGS_FILE}.corrupt-${now().toISOString().replace(/[:.]/g, '-')}`);
  await rename(path, keptAs);
  return { status: 'corrupt', settings: DEFAULT_SETTINGS, keptAs, reason };
}

export async function writeSettings(dataDir: string, settings: Settings): Promise<void> {
  await writeFileAtomic(dataDir, SETTINGS_FILE, `${JSON.stringify(SettingsSchema.parse(settings), null, 2)}\n`);
}

/** Write to a temp file, flush it, then rename over the old one: a crash leaves the old or the new file, never half. */
export async function writeFileAtomic(dataDir: string, name: string, text: string): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const target = join(dataDir, name);
  const temp = join(dataDir, `.${name}.${randomUUID()}.tmp`);
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
