/**
 * The in-browser face detector: Human's browser build with its models served from the app's own
 * assets (copied from node_modules at build time), so it works offline. Runs the same detector,
 * mesh and iris models as the engine's liveness path, measured with the same conversion.
 */
import { Human, type Config } from '@vladmandic/human';
import type { FaceMetrics } from '../../../app/faceRules';
import { ANALYSIS_MAX_SIDE, FACE_DETECTOR, FACE_MODULES_OFF, letterboxSide, scaleMetrics, toFaceMetrics } from '../../../app/humanFace';

const base = new URL('./', document.baseURI).href;

/**
 * WebGL where the machine has a GPU; wasm otherwise, multi-threaded with SIMD when the page is
 * cross-origin isolated (main/shell/policy.ts CROSS_ORIGIN_ISOLATION). A WebGL that is a CPU
 * emulation (SwiftShader, llvmpipe: what headless Chromium and GPU-less machines get) would be
 * slower than wasm, so it counts as no GPU.
 */
function preferredBackend(): 'webgl' | 'wasm' {
  const gl = document.createElement('canvas').getContext('webgl2');
  if (!gl) return 'wasm';
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return /swiftshader|llvmpipe|software|basic render/i.test(renderer) ? 'wasm' : 'webgl';
}

export const DETECTOR_CONFIG: Partial<Config> = {
  backend: preferredBackend(),
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
    // Three faces are enough to tell "only one person, please".
    detector: { ...FACE_DETECTOR, maxDetected: 3 },
    mesh: { enabled: true },
    iris: { enabled: true },
    description: { enabled: false },
    ...FACE_MODULES_OFF,
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
    // tfjs sizes its thread pool at half the cores (one thread on a 2-core kiosk); every core here.
    (human.tf as { setThreadsCount?: (n: number) => void }).setThreadsCount?.(navigator.hardwareConcurrency || 1);
    await human.load();
    await human.warmup();
    return human;
  })();
  return loading;
}

/** Which backend guidance runs on, for diagnostics and the bench: webgl, wasm-mt (threads + SIMD), wasm-simd or wasm. */
export async function detectorBackend(): Promise<string> {
  const human = await detector();
  const backend = human.tf.getBackend();
  if (backend !== 'wasm') return backend;
  return human.env.wasm.multithread ? 'wasm-mt' : human.env.wasm.simd ? 'wasm-simd' : 'wasm';
}

/** Long side the live loop analyses at: the browser scales on the GPU, the wasm models then do less. */
export const GUIDANCE_SIDE = 640;
const square = document.createElement('canvas');

/**
 * Faces in a picture, largest first, in the picture's own pixels: drawn at most `maxSide` on its
 * long side into a square canvas, letterboxed at the top left as the engine does
 * (app/humanFace.ts), so guidance and the service measure a face alike on any camera shape.
 */
export async function detectFaces(source: CanvasImageSource, width: number, height: number, maxSide = ANALYSIS_MAX_SIDE): Promise<FaceMetrics[]> {
  const human = await detector();
  const factor = Math.min(1, maxSide / Math.max(width, height));
  square.width = square.height = Math.round(letterboxSide(width, height) * factor);
  // A canvas kept in memory (willReadFrequently) and a tensor made from its pixels: given the
  // canvas itself, Human copied it through canvases of its own and read it back from the GPU,
  // 36 of the 64 ms its detect took per guidance frame here (its own timing; now 32–34 ms).
  // The pixels are zeroed once the tensor has its copy.
  const context = square.getContext('2d', { willReadFrequently: true })!;
  context.fillStyle = '#000';
  context.fillRect(0, 0, square.width, square.height);
  context.drawImage(source, 0, 0, Math.round(width * factor), Math.round(height * factor));
  const pixels = context.getImageData(0, 0, square.width, square.height);
  const input = human.tf.browser.fromPixels(pixels);
  pixels.data.fill(0);
  const result = await human.detect(input, DETECTOR_CONFIG).finally(() => human.tf.dispose(input));
  // A face picture: not kept on the canvas between calls.
  square.width = 0;
  return result.face.map((face) => scaleMetrics(toFaceMetrics(face), 1 / factor)).sort((a, b) => b.box.width - a.box.width);
}
