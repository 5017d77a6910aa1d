import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What the debug folder may hold: uploads are visitors' faces, kept only as long as troubleshooting needs. */
export const DEBUG_STORE_LIMITS = { retentionDays: 7, maxBytes: 500 * 1024 * 1024 } as const;

/**
 * Keeps uploads and results only for requests with ?debug=true, as the document promises.
 * Every path component is ours (date, a server-made uuid, fixed names): nothing from the client.
 * After each request kept, at the engine's start and once a day (engine.ts), day folders past the
 * retention go, then the oldest requests until the folder is under its size cap: faces kept while
 * debug was on do not outlive the retention once it is off.
 */
export function createDebugStore(root: string, limits: { retentionDays: number; maxBytes: number } = DEBUG_STORE_LIMITS, now: () => Date = () => new Date()) {
  async function prune(): Promise<void> {
    if (!existsSync(root)) return;
    const cutoff = new Date(now().getTime() - limits.retentionDays * 86_400_000).toISOString().slice(0, 10);
    const days = (await readdir(root)).filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)).sort();
    const requests: Array<{ dir: string; bytes: number; mtime: number }> = [];
    for (const day of days) {
      if (day < cutoff) {
        await rm(join(root, day), { recursive: true, force: true });
        continue;
      }
      for (const id of await readdir(join(root, day))) {
        const dir = join(root, day, id);
        const files = await readdir(dir);
        const sizes = await Promise.all(files.map((f) => stat(join(dir, f))));
        requests.push({ dir, bytes: sizes.reduce((a, s) => a + s.size, 0), mtime: Math.max(0, ...sizes.map((s) => s.mtimeMs)) });
      }
    }
    let total = requests.reduce((a, r) => a + r.bytes, 0);
    for (const request of requests.sort((a, b) => a.mtime - b.mtime)) {
      if (total <= limits.maxBytes) break;
      await rm(request.dir, { recursive: true, force: true });
      total -= request.bytes;
    }
  }

  return {
    async keep(requestId: string, files: Record<string, { bytes: Uint8Array; extension: 'png' | 'jpg' }>, result: unknown) {
      if (!/^[0-9a-f-]{36}$/.test(requestId)) throw new Error('invalid request id');
      const dir = join(root, now().toISOString().slice(0, 10), requestId);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await Promise.all([
        ...Object.entries(files).map(([field, f]) => writeFile(join(dir, `${field}.${f.extension}`), f.bytes, { mode: 0o600 })),
        writeFile(join(dir, 'result.json'), `${JSON.stringify(result, null, 2)}\n`, { mode: 0o600 }),
      ]);
      await prune();
    },
    prune,
  };
}
export type DebugStore = ReturnType<typeof createDebugStore>;
