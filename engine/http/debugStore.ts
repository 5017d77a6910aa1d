import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Keeps uploads and results only for requests with ?debug=true, as the document promises.
 * Every path component is ours (date, a server-made uuid, fixed names): nothing from the client.
 */
export function createDebugStore(root: string) {
  return {
    async keep(requestId: string, files: Record<string, { bytes: Uint8Array; extension: 'png' | 'jpg' }>, result: unknown) {
      if (!/^[0-9a-f-]{36}$/.test(requestId)) throw new Error('invalid request id');
      const dir = join(root, new Date().toISOString().slice(0, 10), requestId);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await Promise.all([
        ...Object.entries(files).map(([field, f]) => writeFile(join(dir, `${field}.${f.extension}`), f.bytes, { mode: 0o600 })),
        writeFile(join(dir, 'result.json'), `${JSON.stringify(result, null, 2)}\n`, { mode: 0o600 }),
      ]);
    },
  };
}
export type DebugStore = ReturnType<typeof createDebugStore>;
