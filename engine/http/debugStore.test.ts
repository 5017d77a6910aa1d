import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDebugStore } from './debugStore';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('the engine debug store', () => {
  it('drops day folders past the retention and the oldest requests over the size cap', async () => {
    const root = await mkdtemp(join(tmpdir(), 'debug-store-'));
    // A request kept ten days ago: past a 7-day retention.
    await mkdir(join(root, '2026-11-17', id(1)), { recursive: true });
    await writeFile(join(root, '2026-11-17', id(1), 'data.png'), new Uint8Array(10));
    let clock = new Date('2026-11-27T10:00:00Z');
    const store = createDebugStore(root, { retentionDays: 7, maxBytes: 2_500 }, () => clock);
    const upload = { data: { bytes: new Uint8Array(1_000), extension: 'png' as const } };
    for (let n = 2; n <= 4; n++) {
      clock = new Date(clock.getTime() + 1_000);
      await store.keep(id(n), upload, { n });
      await new Promise((resolve) => setTimeout(resolve, 20)); // distinct modification times
    }
    expect(await readdir(root)).toEqual(['2026-11-27']);
    // Three requests of ~1 kB each against a 2.5 kB cap: the oldest went.
    expect((await readdir(join(root, '2026-11-27'))).sort()).toEqual([id(3), id(4)]);
  });
});
