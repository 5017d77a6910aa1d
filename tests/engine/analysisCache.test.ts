/**
 * The engine's cache of match analyses (engine/analysis/analysisCache.ts) over the real pool and
 * models: the same bytes are analysed once, a changed byte is analysed again, the cache holds a
 * bounded number for a bounded time, liveness is never cached, and the kiosk's end of visit
 * empties it. `watchedPool` counts what reaches the workers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnalysisPool, type AnalysisPool } from '../../engine/analysis/pool';
import { withAnalysisCache } from '../../engine/analysis/analysisCache';
import { faceCrop, livenessCapture } from '../../harness/faces';
import { hostEngine, post } from '../support/engineHost';
import { watchedPool } from '../support/watchedPool';

let realPool: AnalysisPool;
beforeAll(async () => {
  realPool = await createAnalysisPool({ size: 1 });
}, 120_000);
afterAll(() => realPool.close());

function cached(options: Parameters<typeof withAnalysisCache>[1] = {}) {
  const watched = watchedPool(realPool);
  return { cache: withAnalysisCache(watched.pool, options), reached: () => watched.handed.length };
}

describe('the analysis cache', () => {
  it('analyses the same bytes once and gives the same answer; one changed byte is a new image', async () => {
    const { cache, reached } = cached();
    const photo = await faceCrop('A');
    const first = await cache.analyze('match', photo);
    const again = await cache.analyze('match', photo);
    expect(reached()).toBe(1);
    expect(again).toEqual(first);
    expect(first.faces[0]?.embedding).toHaveLength(128);
    again.faces.length = 0; // a caller's change stays its own
    expect((await cache.analyze('match', photo)).faces).toHaveLength(first.faces.length);

    // One byte of the first quantisation table: still a JPEG of the same face, other bytes.
    const changed = Buffer.from(photo);
    changed.writeUInt8(changed.readUInt8(10) + 1, 10);
    expect((await cache.analyze('match', changed)).faces).toHaveLength(1);
    expect(reached()).toBe(2);
  });

  it('keeps at most `entries` images for at most `ttlMs`, never a liveness analysis, and forgets on demand', async () => {
    const clock = { ms: 0 };
    const { cache, reached } = cached({ entries: 2, ttlMs: 60_000, now: () => clock.ms });
    const [a, b, c] = await Promise.all([faceCrop('A'), faceCrop('B'), faceCrop('C')]);
    for (const photo of [a, b, c]) await cache.analyze('match', photo);
    expect(cache.size()).toBe(2);
    await cache.analyze('match', a); // the least recently used went first
    expect(reached()).toBe(4);
    await cache.analyze('match', c);
    expect(reached()).toBe(4);

    clock.ms += 60_001;
    await cache.analyze('match', c);
    expect(reached()).toBe(5);

    const capture = await livenessCapture('C');
    await cache.analyze('liveness', capture);
    await cache.analyze('liveness', capture);
    expect(reached()).toBe(7);

    expect(cache.forget()).toBeGreaterThan(0);
    expect(cache.size()).toBe(0);
    await cache.analyze('match', c);
    expect(reached()).toBe(8);
  });

  it('keeps no failed analysis', async () => {
    const { cache, reached } = cached();
    const junk = new TextEncoder().encode('not an image');
    await expect(cache.analyze('match', junk)).rejects.toMatchObject({ kind: 'decode' });
    await expect(cache.analyze('match', junk)).rejects.toMatchObject({ kind: 'decode' });
    expect(reached()).toBe(2);
    expect(cache.size()).toBe(0);
  });

  it('in the engine: the ID photo analysed ahead, each attempt analyses only its live photo, and forgetting the visit empties it', async () => {
    const watched = watchedPool(realPool);
    const engine = await hostEngine({ pool: watched.pool });
    try {
      const token = await engine.token();
      const id = { bytes: await faceCrop('A'), type: 'image/jpeg' };
      const firstLive = { bytes: await faceCrop('A', { margin: 0.9 }), type: 'image/jpeg' };
      const secondLive = { bytes: await faceCrop('A', { margin: 0.8 }), type: 'image/jpeg' };
      await engine.preanalyze(id.bytes); // the kiosk does so when the ID photo is set
      expect(watched.handed).toHaveLength(1);
      const first = await post(`${engine.url}/api/match?debug=false`, token, { image1: id, image2: firstLive });
      const second = await post(`${engine.url}/api/match?debug=false`, token, { image1: id, image2: secondLive });
      expect([first.status, second.status]).toEqual([200, 200]);
      expect(watched.handed).toHaveLength(3);
      expect(engine.forgetAnalyses()).toBe(3);
      expect(engine.forgetAnalyses()).toBe(0);
    } finally {
      await engine.close();
    }
  });
});
