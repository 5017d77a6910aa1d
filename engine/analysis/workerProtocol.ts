/**
 * What an analysis worker and the pool say to each other, and the loop every analysis worker runs
 * (the engine's, and the benchmark's baselines under bench/). Failures cross as a kind, not a
 * message to be parsed: the server answers each kind with its own status.
 */
import { parentPort } from 'node:worker_threads';
import sharp from 'sharp';
import { ImageDecodeError, type Analysis } from './analyze';

export type WorkerTask = { id: number; kind: 'liveness' | 'match'; bytes: Uint8Array };
/** `decode`: the picture is not a readable image; `internal`: the analysis itself failed. */
export type FailureKind = 'decode' | 'internal';
export type WorkerReply = { id: number; ok: true; analysis: Analysis } | { id: number; ok: false; kind: FailureKind; message: string };
export type WorkerReady = { ready: true };

/** A failed analysis, as the pool hands it on: a worker's failure, or `unavailable` when the worker died mid-task. */
export class AnalysisFailure extends Error {
  constructor(
    readonly kind: FailureKind | 'unavailable',
    message: string,
  ) {
    super(message);
  }
}

/** A plain grey picture: the first inference compiles kernels, so workers analyse it before saying ready. */
export const warmUpImage = () =>
  sharp({ create: { width: 256, height: 256, channels: 3, background: '#808080' } })
    .png()
    .toBuffer();

/** Answers the pool's tasks with `run`, zeroing each task's image afterwards; says ready first. */
export function serveAnalyses(run: (task: WorkerTask) => Promise<Analysis>): void {
  parentPort!.on('message', async (task: WorkerTask) => {
    try {
      parentPort!.postMessage({ id: task.id, ok: true, analysis: await run(task) } satisfies WorkerReply);
    } catch (error) {
      const kind: FailureKind = error instanceof ImageDecodeError ? 'decode' : 'internal';
      parentPort!.postMessage({ id: task.id, ok: false, kind, message: error instanceof Error ? error.message : String(error) } satisfies WorkerReply);
    } finally {
      task.bytes.fill(0);
    }
  });
  parentPort!.postMessage({ ready: true } satisfies WorkerReady);
}
