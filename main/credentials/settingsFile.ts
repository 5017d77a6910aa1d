import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { DEFAULT_SETTINGS, SettingsSchema, type Settings } from '../../app/settings';

export const SETTINGS_FILE = 'settings.json';

export type SettingsRead =
  | { status: 'ok'; settings: Settings }
  | { status: 'missing'; settings: Settings }
  /** The file could not be used: it was moved to `keptAs` and defaults apply until staff save. */
  | { status: 'corrupt'; settings: Settings; keptAs: string; reason: string };

export async function readSettings(dataDir: string, now: () => Date = () => new Date()): Promise<SettingsRead> {
  const path = join(dataDir, SETTINGS_FILE);
  const read = await readJsonFile(path, SettingsSchema);
  if (read.status === 'missing') return { status: 'missing', settings: DEFAULT_SETTINGS };
  if (read.status === 'ok') return { status: 'ok', settings: read.value };
  // Keep the bad file for IT to inspect; the station is not set up until IT provisions it again.
  const keptAs = `${path}.corrupt-${fileStamp(now())}`;
  await rename(path, keptAs);
  return { status: 'corrupt', settings: DEFAULT_SETTINGS, keptAs, reason: read.reason };
}

/** A time for a file name: no ':' or '.' (Windows). */
export const fileStamp = (time: Date) => time.toISOString().replace(/[:.]/g, '-');

export type JsonRead<T> = { status: 'missing' } | { status: 'ok'; value: T } | { status: 'invalid'; reason: string };

/** A small JSON state file, checked against its schema: missing, valid, or why it cannot be used. */
export async function readJsonFile<T>(path: string, schema: z.ZodType<T>): Promise<JsonRead<T>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? { status: 'missing' } : { status: 'invalid', reason: `cannot be read (${code ?? 'unknown'})` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { status: 'invalid', reason: `not valid JSON (${(error as Error).message})` };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { status: 'ok', value: parsed.data };
  return { status: 'invalid', reason: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') };
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
