/**
 * One analysis worker: loads Human once, warms it, then analyses images on request. Runs in a
 * worker thread so inference never blocks the HTTP event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import sharp from 'sharp';
import { analyze, type Analysis } from './analyze';
import { engineConfig, loadHuman, type EngineModels } from './humanNode';
import { frameEvidence, type FrameEvidence } from './screenEvidence';

export type WorkerTask = { id: number; kind: 'liveness' | 'match'; bytes: Uint8Array };
export type WorkerReply =
  | { id: number; ok: true; analysis: Analysis; frame: FrameEvidence | null }
  | { id: number; ok: false; message: string };
export type WorkerReady = { ready: true };

const models = (workerData as { models?: EngineModels[] } | undefined)?.models;
const config = engineConfig(models);
const human = await loadHuman(config);
// sharp's own thread pool would compete with the other workers for the same two cores.
sharp.concurrency(1);

// Warm-up: the first inference compiles kernels; do it before saying ready.
await analyze(human, config, await sharp({ create: { width: 256, height: 256, channels: 3, background: '#808080' } }).png().toBuffer());

parentPort!.on('message', async (task: WorkerTask) => {
  try {
    const analysis = await analyze(human, config, task.bytes, { padIfNoFace: task.kind === 'match' });
    const face = analysis.faces[0];
    const frame = task.kind === 'liveness' && face ? await frameEvidence(task.bytes, face.box) : null;
    for (const f of analysis.faces) if (task.kind === 'liveness') f.embedding = null;
    parentPort!.postMessage({ id: task.id, ok: true, analysis, frame } satisfies WorkerReply);
  } catch (error) {
    parentPort!.postMessage({ id: task.id, ok: false, message: error instanceof Error ? error.message : String(error) } satisfies WorkerReply);
  } finally {
    task.bytes.fill(0);
  }
});
parentPort!.postMessage({ ready: true } satisfies WorkerReady);
