/**
 * The worker boundary is typed: a failed analysis reaches the server as an AnalysisFailure with
 * its kind (the server maps each kind to a status without reading the message).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnalysisPool, type AnalysisPool } from '../../engine/analysis/pool';
import { AnalysisFailure } from '../../engine/analysis/workerProtocol';
import { faceCrop, livenessCapture } from '../../harness/faces';

let pool: AnalysisPool;
beforeAll(async () => {
  pool = await createAnalysisPool({ size: 1 });
}, 120_000);
afterAll(() => pool.close());

describe('analysis failures across the worker boundary', () => {
  it('names a picture that is not an image as decode', async () => {
    const failure = await pool.analyze('match', new TextEncoder().encode('not an image')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AnalysisFailure);
    expect(failure).toMatchObject({ kind: 'decode' });
  });

  it('names a worker that died mid-task as unavailable, then carries on', async () => {
    // The pool hands the task to its free worker at once: ended right away, it dies mid-task.
    const inFlight = pool.analyze('match', await faceCrop('A'));
    await pool.recycle();
    await expect(inFlight).rejects.toMatchObject({ kind: 'unavailable' });
    // The liveness analysis judges the service's face rules itself: a live capture breaks none.
    expect(await pool.analyze('liveness', await livenessCapture('C'))).toMatchObject({ rejection: null, live: expect.any(Number) });
  });
});
