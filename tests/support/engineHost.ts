import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEngine, type EngineOptions } from '../../engine/engine';
import { hashPassword } from '../../engine/http/users';

/** The real engine on 127.0.0.1 with one known user and a private debug directory. */
export async function hostEngine(options: Partial<EngineOptions> & { password?: string } = {}) {
  const debugDir = await mkdtemp(join(tmpdir(), 'engine-debug-'));
  const password = options.password ?? 'hunter2';
  const engine = await startEngine({
    users: new Map([['admin', await hashPassword(password)]]),
    debugDir,
    workers: 2,
    ...options,
  });
  const basic = `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;
  return {
    ...engine,
    debugDir,
    basic,
    async token(): Promise<string> {
      const response = await fetch(`${engine.url}/api/authenticate`, { method: 'POST', headers: { authorization: basic } });
      return response.text();
    },
  };
}
export type EngineHost = Awaited<ReturnType<typeof hostEngine>>;

/** POSTs multipart files with fetch; returns status and parsed JSON body. */
export async function post(url: string, token: string | null, files: Record<string, { bytes: Uint8Array; type: string; name?: string }>) {
  const form = new FormData();
  for (const [field, file] of Object.entries(files)) form.append(field, new Blob([file.bytes], { type: file.type }), file.name ?? `${field}.bin`);
  const response = await fetch(url, { method: 'POST', body: form, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // left as text
  }
  return { status: response.status, body: body as Record<string, unknown> };
}
