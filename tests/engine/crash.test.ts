/**
 * An analysis worker dying mid-request (ended for real with Worker.terminate through the
 * engine's recycle): the engine answers 503 in the error shape, replaces the worker, and the
 * client's retry succeeds. Timing decides whether a request is mid-analysis when the worker
 * ends, so each case tries a few times until it has caught one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor } from '../support/clientFor';
import { normalizeForMatch } from '../../main/imaging/normalize';
import { faceCrop } from '../../harness/faces';
import { hostEngine, post, type EngineHost } from '../support/engineHost';

let engine: EngineHost;
beforeAll(async () => {
  engine = await hostEngine({ workers: 1 });
});
afterAll(() => engine.close());

const midRequest = () => new Promise((r) => setTimeout(r, 80));

describe('the engine when its analysis worker dies', () => {
  it('answers the request in flight with 503 ANALYSIS_UNAVAILABLE and serves the next one', async () => {
    const token = await engine.token();
    const files = { image1: { bytes: await faceCrop('A'), type: 'image/jpeg' }, image2: { bytes: await faceCrop('A', { margin: 0.9 }), type: 'image/jpeg' } };
    const seen: number[] = [];
    for (let i = 0; i < 5 && !seen.includes(503); i++) {
      const inFlight = post(`${engine.url}/api/match`, token, files);
      await midRequest();
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
      const pending = client.match(a, b);
      await midRequest();
      await engine.recycleWorkers();
      await expect(pending).resolves.toMatchObject({ pass: true });
    }
    expect(statuses).toContain(503);
    expect(statuses.at(-1)).toBe(200);
  });
});
