/**
 * An analysis worker dying mid-request (ended for real with Worker.terminate through the
 * engine's recycle): the engine answers 503 in the error shape, replaces the worker, and the
 * client's retry succeeds. The worker is ended once the server has handed the pool an image
 * (the one worker takes it at once); should the analysis still win the race, a case tries again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor } from '../support/clientFor';
import { normalizeForMatch } from '../../main/imaging/normalize';
import { faceCrop } from '../../harness/faces';
import { createAnalysisPool, type AnalysisPool } from '../../engine/analysis/pool';
import { hostEngine, post, type EngineHost } from '../support/engineHost';
import { watchedPool } from '../support/watchedPool';

let realPool: AnalysisPool;
let handed: Uint8Array[];
let engine: EngineHost;
beforeAll(async () => {
  realPool = await createAnalysisPool({ size: 1 });
  const watched = watchedPool(realPool);
  handed = watched.handed;
  // Without the analysis cache: every try must reach the worker that is about to be ended.
  engine = await hostEngine({ pool: watched.pool, analysisCache: false });
}, 120_000);
afterAll(async () => {
  await engine.close();
  await realPool.close();
});

/** Resolves once the engine is analysing a new image: the moment to end its worker. */
const midRequest = async () => {
  const before = handed.length;
  await expect.poll(() => handed.length, { timeout: 20_000 }).toBeGreaterThan(before);
};

describe('the engine when its analysis worker dies', () => {
  it('answers the request in flight with 503 ANALYSIS_UNAVAILABLE and serves the next one', async () => {
    const token = await engine.token();
    const files = { image1: { bytes: await faceCrop('A'), type: 'image/jpeg' }, image2: { bytes: await faceCrop('A', { margin: 0.9 }), type: 'image/jpeg' } };
    const seen: number[] = [];
    for (let i = 0; i < 5 && !seen.includes(503); i++) {
      const analysing = midRequest();
      const inFlight = post(`${engine.url}/api/match`, token, files);
      await analysing;
      await engine.recycleWorkers();
      const result = await inFlight;
      seen.push(result.status);
      if (result.status === 503) expect(result.body).toMatchObject({ statusCode: 503, code: 'ANALYSIS_UNAVAILABLE', error: 'Service Unavailable' });
      else expect(result.status).toBe(200);
    }
    expect(seen).toContain(503);
    expect(await post(`${engine.url}/api/match`, token, files)).toMatchObject({ status: 200, body: { pass: true } });
  });

  it('is invisible to the kiosk: the client retries the 503 and gets the answer', async () => {
    const { client, seen } = clientFor(engine, { timeoutMs: 30_000, backoffMs: 300 });
    const statuses = seen.statuses;
    const a = await normalizeForMatch(await faceCrop('A'));
    const b = await normalizeForMatch(await faceCrop('A', { margin: 0.9 }));
    await client.checkConnection();
    for (let i = 0; i < 5 && !statuses.includes(503); i++) {
      const analysing = midRequest();
      const pending = client.match(a, b);
      await analysing;
      await engine.recycleWorkers();
      await expect(pending).resolves.toMatchObject({ pass: true });
    }
    expect(statuses).toContain(503);
    expect(statuses.at(-1)).toBe(200);
  });
});
