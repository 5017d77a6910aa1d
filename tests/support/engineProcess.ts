import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

/** A signing key file as IT makes one (`openssl rand -base64 48`), in a new temporary folder. */
export async function signingKeyFile(): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'engine-key-')), 'signing.key');
  await writeFile(path, `${randomBytes(48).toString('base64')}\n`, { mode: 0o600 });
  return path;
}

/**
 * The engine started by its CLI as IT runs it (two malloc arenas, user admin/hunter2): resolves
 * once its JSON log says where it listens. `lines` keeps every log line it writes.
 */
export async function spawnEngine(args: string[], env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string; lines: string[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'engine/cli.ts', '--user', 'admin', ...args], {
    cwd: ROOT,
    env: { ...process.env, MALLOC_ARENA_MAX: '2', BIOINTELLIC_ENGINE_PASSWORD: 'hunter2', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  const url = await new Promise<string>((done, fail) => {
    let partial = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      const text = partial + chunk.toString();
      const complete = text.split('\n');
      partial = complete.pop()!;
      for (const line of complete) {
        lines.push(line);
        const record = JSON.parse(line) as { msg?: string; url?: string };
        if (record.msg === 'listening' && record.url) done(record.url);
      }
    });
    child.once('exit', (code) => fail(new Error(`the engine exited (${code}) before listening`)));
  });
  return { child, url, lines };
}

/** Resolves with the exit code once the process has ended. */
export const exited = (child: ChildProcess) =>
  child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
