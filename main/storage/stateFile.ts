/**
 * main's small state files in the data folder (settings, IT's provisioning, the PIN lockout, the
 * station lock, safeStorage's ciphertext): read against a schema, written atomically.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';

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
  return parsed.success ? { status: 'ok', value: parsed.data } : { status: 'invalid', reason: describeIssues(parsed.error) };
}

/** A schema's complaints in one line, each with the path it is about. */
export const describeIssues = (error: z.ZodError) => error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');

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
