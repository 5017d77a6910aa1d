/**
 * One analysis worker: loads Human once, warms it, then analyses images on request. Runs in a
 * worker thread so inference never blocks the HTTP event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import sharp from 'sharp';
import type { Config } from '@vladmandic/human';
import { livenessRejection } from '../../app/faceRules';
import { analyze, type Analysis, type PresenceCheck } from './analyze';
import { engineConfig, loadHuman, stockConfig, type AnalysisProfile } from './humanNode';

export type WorkerTask = { id: number; kind: 'liveness' | 'match'; bytes: Uint8Array };
export type WorkerReply =
  | { id: number; ok: true; analysis: Analysis }
  | { id: number; ok: false; message: string };
export type WorkerReady = { ready: true };

const profile = (workerData as { profile?: AnalysisProfile } | undefined)?.profile ?? 'engine';
const stock = profile !== 'engine';
const human = await loadHuman(stock ? stockConfig() : engineConfig());
// Human merges each call's configuration into its own and keeps it: the stock baselines pass the
// whole default configuration every time, so the person check's settings never leak into them.
const stockDefaults = stock ? (JSON.parse(JSON.stringify(human.config)) as Config) : null;
// The engine has every model it uses loaded; each request runs only what it needs: liveness needs
// the iris (pupil distance) but no descriptor, then the person detector on the face's
// surroundings (presence.ts); match needs the descriptor and nothing else.
const perKind = stockDefaults
  ? { liveness: stockDefaults, match: stockDefaults }
  : { liveness: engineConfig(['detector', 'mesh', 'iris']), match: engineConfig(['detector', 'mesh', 'description']) };
// The person detector is most of a liveness request's time: it runs only on a picture the
// service's face rules accept, since any other is refused without a score.
const presence: PresenceCheck | undefined =
  profile === 'stock' ? undefined : { config: engineConfig(['people']), due: (faces) => livenessRejection(faces) === null };
// sharp's own thread pool would compete with the other workers for the same two cores, and its
// operation cache only holds images that never come back (each request is a new image).
sharp.concurrency(1);
sharp.cache(false);

// Warm-up: the first inference compiles kernels; do it before saying ready, with every model.
await analyze(human, stockDefaults ?? engineConfig(), await sharp({ create: { width: 256, height: 256, channels: 3, background: '#808080' } }).png().toBuffer());

parentPort!.on('message', async (task: WorkerTask) => {
  try {
    const analysis = await analyze(human, perKind[task.kind], task.bytes, task.kind === 'match' ? { padIfNoFace: true } : presence ? { presence } : {});
    parentPort!.postMessage({ id: task.id, ok: true, analysis } satisfies WorkerReply);
  } catch (error) {
    parentPort!.postMessage({ id: task.id, ok: false, message: error instanceof Error ? error.message : String(error) } satisfies WorkerReply);
  } finally {
    task.bytes.fill(0);
  }
});
parentPort!.postMessage({ ready: true } satisfies WorkerReady);
