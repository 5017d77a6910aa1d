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
