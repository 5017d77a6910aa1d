/**
 * One analysis worker: loads Human and the engine's models once, warms them, then analyses images
 * on request. Runs in a worker thread so inference never blocks the HTTP event loop.
 */
import sharp from 'sharp';
import { analyze, type Describe } from './analyze';
import { MINIFASNET_DIR, liveProbability, loadAntispoof } from './antispoof';
import { FACE_RECOGNITION_DIR, describeFace, loadFaceDescriptor } from './faceDescriptor';
import { engineConfig, loadHuman } from './humanNode';
import { serveAnalyses, warmUpImage } from './workerProtocol';

const human = await loadHuman(engineConfig());
// Every model the engine uses is loaded; each request runs only what it needs: liveness needs the
// iris (pupil distance) but no descriptor, then MiniFASNet on the face (antispoof.ts); match needs
// detector and mesh, then dlib's descriptor on the chip the mesh aligns (faceDescriptor.ts).
const perKind = { liveness: engineConfig(['detector', 'mesh', 'iris']), match: engineConfig(['detector', 'mesh']) };
const antispoof = await loadAntispoof(human, MINIFASNET_DIR);
const descriptor = await loadFaceDescriptor(human, FACE_RECOGNITION_DIR);
const describe: Describe = (image, mesh) => describeFace(descriptor, image, mesh);
// sharp's own thread pool would compete with the other workers for the same two cores, and its
// operation cache only holds images that never come back (each request is a new image).
sharp.concurrency(1);
sharp.cache(false);

// Warm-up: the first inference compiles kernels; do it before saying ready, with every model.
await analyze(human, engineConfig(), await warmUpImage());

// A liveness picture is judged against the service's face rules, and only one they accept is scored.
serveAnalyses((task) =>
  analyze(
    human,
    perKind[task.kind],
    task.bytes,
    task.kind === 'match' ? { retryIfNoFace: true, describe } : { liveness: { score: (image, face) => liveProbability(human, antispoof, image, face) } },
  ),
);
