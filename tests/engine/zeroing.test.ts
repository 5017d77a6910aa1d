/**
 * The engine's half of the privacy promise: an uploaded image is zeroed once the engine has
 * answered, whatever the answer (a verdict, a refusal after analysis, a debug upload, a worker
 * that died mid-analysis), and the analysis worker zeroes its own copy after each task, failed or
 * not. The tests hold the very buffers the server handed to the real pool, and, in the worker, the
 * ones the worker was given: deleting either zeroing fails them.
 */
import { readdir } from 'node:fs/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnalysisPool, type AnalysisPool } from '../../engine/analysis/pool';
import { faceCrop, livenessCapture } from '../../harness/faces';
import { hostEngine, post, type EngineHost } from '../support/engineHost';
import { allZeroed, watchedPool } from '../support/watchedPool';

let realPool: AnalysisPool;
let watched: ReturnType<typeof watchedPool>;
let engine: EngineHost;
let token: string;
beforeAll(async () => {
  realPool = await createAnalysisPool({ size: 1 });
  watched = watchedPool(realPool);
  engine = await hostEngine({ pool: watched.pool });
  token = await engine.token();
}, 120_000);
afterAll(async () => {
  await engine.close();
  await realPool.close();
});

/** The buffers the server handed to the pool while `request` ran. */
async function handedDuring(request: () => Promise<{ status: number }>) {
  const from = watched.handed.length;
  const { status } = await request();
  return { status, buffers: watched.handed.slice(from) };
}

describe('images in the engine', () => {
  it('zeroes a liveness upload once it has answered, and both match uploads', async () => {
    const png = { bytes: await livenessCapture('C'), type: 'image/png' };
    const liveness = await handedDuring(() => post(`${engine.url}/api/liveness?debug=false`, token, { data: png }));
    expect(liveness.status).toBe(200);
    expect(liveness.buffers).toHaveLength(1);
    expect(allZeroed(liveness.buffers)).toBe(true);

    const files = { image1: { bytes: await faceCrop('A'), type: 'image/jpeg' }, image2: { bytes: await faceCrop('A', { margin: 0.9 }), type: 'image/jpeg' } };
    const match = await handedDuring(() => post(`${engine.url}/api/match?debug=false`, token, files));
    expect(match.status).toBe(200);
    expect(match.buffers).toHaveLength(2);
    expect(allZeroed(match.buffers)).toBe(true);
  });

  it('zeroes an image it refused after analysing it (no face), and a debug upload in memory (its copy is on disk, as asked)', async () => {
    const blank = await sharp({ create: { width: 1280, height: 720, channels: 3, background: '#7a7a7a' } })
      .png()
      .toBuffer();
    const refused = await handedDuring(() => post(`${engine.url}/api/liveness?debug=false`, token, { data: { bytes: blank, type: 'image/png' } }));
    expect(refused.status).toBe(400);
    expect(allZeroed(refused.buffers)).toBe(true);

    const live = { bytes: await livenessCapture('C'), type: 'image/png' };
    const debug = await handedDuring(() => post(`${engine.url}/api/liveness?debug=true`, token, { data: live }));
    expect(debug.status).toBe(200);
    expect(allZeroed(debug.buffers)).toBe(true);
    expect(await readdir(engine.debugDir)).toHaveLength(1);
  });

  it('zeroes the images of a request whose worker died mid-analysis', async () => {
    const files = { image1: { bytes: await faceCrop('B'), type: 'image/jpeg' }, image2: { bytes: await faceCrop('B', { margin: 0.9 }), type: 'image/jpeg' } };
    const from = watched.handed.length;
    const inFlight = post(`${engine.url}/api/match?debug=false`, token, files);
    // The server hands the pool an image only once it is read; the one worker takes it at once.
    await expect.poll(() => watched.handed.length, { timeout: 20_000 }).toBeGreaterThan(from);
    await engine.recycleWorkers();
    expect((await inFlight).status).toBe(503);
    const buffers = watched.handed.slice(from);
    expect(buffers).toHaveLength(2);
    expect(allZeroed(buffers)).toBe(true);
  });
});

describe("the analysis worker's own copy", () => {
  it('is zeroed after every task, answered or failed', async () => {
    const pool = await createAnalysisPool({ size: 1, workerUrl: new URL('../support/holdingWorker.ts', import.meta.url) });
    try {
      const earlier = async (bytes: number[]) => {
        const answer = await pool.analyze('match', new Uint8Array(bytes)).catch((error: unknown) => error);
        return (answer as { earlierZeroed?: boolean[] }).earlierZeroed;
      };
      expect(await earlier([1, 2, 3])).toEqual([]);
      await expect(pool.analyze('match', new Uint8Array([0xff, 4, 5]))).rejects.toMatchObject({ kind: 'internal' });
      expect(await earlier([6, 7])).toEqual([true, true]);
    } finally {
      await pool.close();
    }
  });
});
