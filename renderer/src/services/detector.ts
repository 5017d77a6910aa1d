/**
 * The in-browser face detector: Human's browser build with its models served from the app's own
 * assets (copied from node_modules at build time), so it works offline. Runs the same detector,
 * mesh and iris models as the engine's liveness path, measured with the same conversion.
 */
import { Human, type Config } from '@vladmandic/human';
import type { FaceMetrics } from '../../../app/faceRules';
import { toFaceMetrics } from '../../../app/humanFace';

const base = new URL('./', document.baseURI).href;

export const DETECTOR_CONFIG: Partial<Config> = {
  backend: 'wasm',
  wasmPath: `${base}wasm/`,
  modelBasePath: `${base}models/`,
  debug: false,
  async: true,
  warmup: 'none',
  cacheModels: false,
  // Guidance runs on a live stream: Human's frame cache helps between near-identical frames.
  cacheSensitivity: 0.02,
  filter: { enabled: false },
  gesture: { enabled: false },
  face: {
    enabled: true,
    detector: { enabled: true, rotation: true, maxDetected: 3, minConfidence: 0.4, return: false },
    mesh: { enabled: true },
    iris: { enabled: true },
    description: { enabled: false },
    emotion: { enabled: false },
    antispoof: { enabled: false },
    liveness: { enabled: false },
    attention: { enabled: false },
    gear: { enabled: false },
  },
  body: { enabled: false },
  hand: { enabled: false },
  object: { enabled: false },
  segmentation: { enabled: false },
};

let loading: Promise<Human> | null = null;

export function detector(): Promise<Human> {
  loading ??= (async () => {
    const human = new Human(DETECTOR_CONFIG);
    await human.load();
    await human.warmup();
    return human;
  })();
  return loading;
}

export async function detectFaces(input: HTMLVideoElement | HTMLCanvasElement | ImageBitmap): Promise<FaceMetrics[]> {
  const human = await detector();
  const result = await human.detect(input, DETECTOR_CONFIG);
  return result.face.map((face) => toFaceMetrics(face)).sort((a, b) => b.box.width - a.box.width);
}

/** Width the live loop analyses at: the browser scales on the GPU, the wasm models then do less. */
const GUIDANCE_WIDTH = 640;
const scaled = document.createElement('canvas');

/**
 * Faces in a live video frame, measured at GUIDANCE_WIDTH and reported in the camera's own
 * pixels (the document's distances are in captured pixels, not the preview's).
 */
export async function detectInVideo(video: HTMLVideoElement): Promise<FaceMetrics[]> {
  const factor = Math.min(1, GUIDANCE_WIDTH / video.videoWidth);
  if (factor === 1) return detectFaces(video);
  scaled.width = Math.round(video.videoWidth * factor);
  scaled.height = Math.round(video.videoHeight * factor);
  scaled.getContext('2d')!.drawImage(video, 0, 0, scaled.width, scaled.height);
  const up = 1 / factor;
  return (await detectFaces(scaled)).map((f) => ({
    ...f,
    box: { x: f.box.x * up, y: f.box.y * up, width: f.box.width * up, height: f.box.height * up },
    sizePx: f.sizePx * up,
    interpupillaryPx: f.interpupillaryPx * up,
  }));
}
