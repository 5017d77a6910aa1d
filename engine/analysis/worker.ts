/**
 * One analysis worker: loads Human once, warms it, then analyses images on request. Runs in a
 * worker thread so inference never blocks the HTTP event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import sharp from 'sharp';
import type { Config } from '@vladmandic/human';
import { livenessRejection } from '../../app/faceRules';
import { analyze, type Analysis, type Describe, type LivenessCheck } from './analyze';
import { MINIFASNET_DIR, liveProbability, loadAntispoof } from './antispoof';
import { FACE_RECOGNITION_DIR, describeFace, loadFaceDescriptor } from './faceDescriptor';
import { engineConfig, loadHuman, stockConfig, type AnalysisProfile } from './humanNode';
import { personScore } from './presence';

export type WorkerTask = { id: number; kind: 'liveness' | 'match'; bytes: Uint8Array };
export type WorkerReply = { id: number; ok: true; analysis: Analysis } | { id: number; ok: false; message: string };
export type WorkerReady = { ready: true };

const profile = (workerData as { profile?: AnalysisProfile } | undefined)?.profile ?? 'engine';
const stock = profile !== 'engine';
const human = await loadHuman(stock ? stockConfig() : engineConfig());
// Human merges each call's configuration into its own and keeps it: the stock baselines pass the
// whole default configuration every time, so the person check's settings never leak into them.
const stockDefaults = stock ? (JSON.parse(JSON.stringify(human.config)) as Config) : null;
// The engine has every model it uses loaded; each request runs only what it needs: liveness needs
// the iris (pupil distance) but no descriptor, then MiniFASNet on the face (antispoof.ts); match
// needs detector and mesh, then dlib's descriptor on the chip the mesh aligns (faceDescriptor.ts).
const perKind = stockDefaults
  ? { liveness: stockDefaults, match: stockDefaults }
  : { liveness: engineConfig(['detector', 'mesh', 'iris']), match: engineConfig(['detector', 'mesh']) };
// The liveness score runs only on a picture the service's face rules accept, since any other is
// refused without a score. The 'stock+person' baseline scores with the person check it replaced.
const due: LivenessCheck['due'] = (faces) => livenessRejection(faces) === null;
async function livenessCheck(): Promise<LivenessCheck | undefined> {
  if (profile === 'stock') return undefined;
  if (profile === 'stock+person') {
    const config = engineConfig(['people']);
    return { due, score: (image, face) => personScore(human, config, image, face) };
  }
  const models = await loadAntispoof(human, MINIFASNET_DIR);
  return { due, score: (image, face) => liveProbability(human, models, image, face) };
}
const liveness = await livenessCheck();
const descriptor = stockDefaults ? null : await loadFaceDescriptor(human, FACE_RECOGNITION_DIR);
const describe: Describe | undefined = descriptor ? (image, mesh) => describeFace(descriptor, image, mesh) : undefined;
// sharp's own thread pool would compete with the other workers for the same two cores, and its
// operation cache only holds images that never come back (each request is a new image).
sharp.concurrency(1);
sharp.cache(false);

// Warm-up: the first inference compiles kernels; do it before saying ready, with every model.
await analyze(
  human,
  stockDefaults ?? engineConfig(),
  await sharp({ create: { width: 256, height: 256, channels: 3, background: '#808080' } })
    .png()
    .toBuffer(),
);

parentPort!.on('message', async (task: WorkerTask) => {
  try {
    const analysis = await analyze(
      human,
      perKind[task.kind],
      task.bytes,
      task.kind === 'match' ? { retryIfNoFace: true, ...(describe && { describe }) } : liveness ? { liveness } : {},
    );
    parentPort!.postMessage({ id: task.id, ok: true, analysis } satisfies WorkerReply);
  } catch (error) {
    parentPort!.postMessage({ id: task.id, ok: false, message: error instanceof Error ? error.message : String(error) } satisfies WorkerReply);
  } finally {
    task.bytes.fill(0);
  }
});
parentPort!.postMessage({ ready: true } satisfies WorkerReady);
