/**
 * The in-browser face detector: Human's browser build with its models served from the app's own
 * assets (copied from node_modules at build time), so it works offline. Runs the same detector,
 * mesh and iris models as the engine's liveness path, measured with the same conversion.
 */
import { Human, type Config, type FaceResult, type Tensor } from '@vladmandic/human';
import type { CameraFrame } from '../guidance/cameraFrame';
import { analysisInput } from '../guidance/framePixels';
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

/** `?detector=webgl` or `wasm` on the page's address forces a backend, for the guidance bench to compare both on one machine; main never sets it. */
const forced = new URLSearchParams(location.search).get('detector');

export const DETECTOR_CONFIG: Partial<Config> = {
  backend: forced === 'webgl' || forced === 'wasm' ? forced : preferredBackend(),
  wasmPath: `${base}wasm/`,
  modelBasePath: `${base}models/`,
  debug: false,
  async: true,
  // Human's own warmup fetches a data: URL the page's CSP refuses: detector() runs each model on zeros instead.
  warmup: 'none',
  cacheModels: false,
  // One picture at a time (the ID photo, the chosen frame): nothing to reuse. Guidance's own
  // configuration (GUIDANCE_CONFIG) turns Human's frame cache on.
  cacheSensitivity: 0,
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

/** Where the eyes' detail is not wanted (an ID portrait's box): the iris model is half of Human's time on a face. */
const WITHOUT_IRIS: Partial<Config> = { ...DETECTOR_CONFIG, face: { ...DETECTOR_CONFIG.face, iris: { enabled: false } } };

let loading: Promise<Human> | null = null;

export function detector(): Promise<Human> {
  loading ??= (async () => {
    const human = new Human(DETECTOR_CONFIG);
    // tfjs sizes its thread pool at half the cores (one thread on a 2-core kiosk); every core here.
    (human.tf as { setThreadsCount?: (n: number) => void }).setThreadsCount?.(navigator.hardwareConcurrency || 1);
    await human.load();
    await human.warmup();
    // Each model run once on zeros while the ID step opens: the first real picture (the ID
    // portrait, searched while main reads the MRZ) paid the models' first run, ~0.5 s here.
    // (Human's own 'face' warmup fetches a data: URL, which the page's connect-src refuses.)
    // A model that will not run on zeros is simply left cold.
    for (const model of Object.values(human.models.models)) {
      const shape = model?.inputs[0]?.shape?.map((d) => (d > 0 ? d : 1));
      if (!model || !shape) continue;
      const input = human.tf.zeros(shape);
      await model
        .executeAsync(input)
        .then((output) => human.tf.dispose(output))
        .catch(() => undefined)
        .finally(() => human.tf.dispose(input));
    }
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

/** Long side the live loop analyses at: the wasm models then do less. */
export const GUIDANCE_SIDE = 640;
const square = document.createElement('canvas');

/** Human on one input tensor (disposed here); its faces, largest first. */
async function detectIn(input: Tensor, config: Partial<Config>): Promise<FaceResult[]> {
  const human = await detector();
  const result = await human.detect(input, config).finally(() => human.tf.dispose(input));
  return result.face.sort((a, b) => b.box[2] - a.box[2]);
}

/**
 * Faces in a picture on a canvas (the ID photo, the frame guidance chose), in the picture's own
 * pixels, largest first: drawn at most `maxSide` on its long side into a square canvas,
 * letterboxed at the top left as the engine does (app/humanFace.ts), so guidance and the service
 * measure a face alike on any camera shape. Human's full model set, iris included, unless
 * `iris` is false (an ID portrait, where only the face's box is used).
 */
export async function detectFaces(
  source: CanvasImageSource,
  width: number,
  height: number,
  { maxSide = ANALYSIS_MAX_SIDE, iris = true }: { maxSide?: number; iris?: boolean } = {},
): Promise<FaceMetrics[]> {
  const human = await detector();
  const factor = Math.min(1, maxSide / Math.max(width, height));
  square.width = square.height = Math.round(letterboxSide(width, height) * factor);
  // A canvas kept in memory (willReadFrequently) and a tensor made from its pixels: given the
  // canvas itself, Human copied it through canvases of its own and read it back from the GPU.
  // The pixels are zeroed once the tensor has its copy.
  const context = square.getContext('2d', { willReadFrequently: true })!;
  context.fillStyle = '#000';
  context.fillRect(0, 0, square.width, square.height);
  context.drawImage(source, 0, 0, Math.round(width * factor), Math.round(height * factor));
  const pixels = context.getImageData(0, 0, square.width, square.height);
  const input = human.tf.browser.fromPixels(pixels);
  pixels.data.fill(0);
  // A face picture: not kept on the canvas between calls.
  square.width = 0;
  const faces = await detectIn(input, iris ? DETECTOR_CONFIG : WITHOUT_IRIS);
  return faces.map((face) => scaleMetrics(toFaceMetrics(face), 1 / factor));
}

/**
 * Guidance reuses Human's work between camera frames where Human allows it:
 * - the face detector's boxes: Human skips its detector while frames change less than
 *   `cacheSensitivity` and follows the face with the mesh alone, for at most `skipTime`, so a
 *   second person who steps in is seen within half a second. 0.25 is above the median change
 *   between consecutive frames of the two real webcam clips in ../shared/eval (0.03 and 0.09, in
 *   Human's measure: people standing fairly still, with sensor noise) and below apfol's turning
 *   head (p90 0.66); a face the mesh loses is looked for by the detector on the next frame;
 * - the iris model (half of Human's time per frame here) runs every other frame; in between,
 *   the pupils' distance is the face mesh's width scaled by the ratio of the two that the last
 *   iris frame measured (the iris model redraws the eyes' outlines, so they cannot be the
 *   reference; the face's outline it leaves alone).
 * The frame guidance chooses is still checked with every model at full size (detectFaces).
 */
const GUIDANCE_CONFIG: Partial<Config> = {
  ...DETECTOR_CONFIG,
  cacheSensitivity: 0.25,
  face: { ...DETECTOR_CONFIG.face, detector: { ...DETECTOR_CONFIG.face!.detector, skipTime: 500 } },
};
const GUIDANCE_WITHOUT_IRIS: Partial<Config> = { ...GUIDANCE_CONFIG, face: { ...GUIDANCE_CONFIG.face, iris: { enabled: false } } };
const IRIS_EVERY = 2;

/**
 * One guidance loop's detector on camera frames (guidance/cameraFrame.ts), analysed at
 * `maxSide`: the input is built from the frame's own planes, with no canvas, letterboxed like
 * detectFaces'. `wipe` zeroes the last input (a face picture).
 */
export function createFrameDetector(maxSide: number) {
  let analysis: Float32Array | undefined;
  let frames = 0;
  let pupilsPerFaceWidth = 0;
  let eyes: { eyeOpenness?: number | undefined; faceProportion?: number | undefined } = {};
  return {
    async detect(frame: CameraFrame): Promise<FaceMetrics[]> {
      const human = await detector();
      const { pixels, side, factor } = analysisInput(frame, maxSide, analysis);
      analysis = pixels;
      const iris = frames++ % IRIS_EVERY === 0 || pupilsPerFaceWidth === 0;
      // The tensor holds its own copy of the reused buffer.
      const faces = await detectIn(human.tf.tensor(pixels, [1, side, side, 3], 'float32'), iris ? GUIDANCE_CONFIG : GUIDANCE_WITHOUT_IRIS);
      const metrics = faces.map((face) => toFaceMetrics(face));
      const main = metrics[0];
      if (iris && main) {
        pupilsPerFaceWidth = main.interpupillaryPx / main.box.width;
        eyes = { eyeOpenness: main.eyeOpenness, faceProportion: main.faceProportion };
      }
      // Between iris frames the eyes' outlines are the mesh's own, coarser than the iris model's:
      // their openness (and the face's proportions, measured from the eye corners) are the last
      // iris frame's, so the blink watch compares like with like.
      if (!iris)
        for (const m of metrics) {
          m.interpupillaryPx = m.box.width * pupilsPerFaceWidth;
          for (const key of ['eyeOpenness', 'faceProportion'] as const) {
            const carried = eyes[key];
            if (carried === undefined) delete m[key];
            else m[key] = carried;
          }
        }
      return metrics.map((m) => scaleMetrics(m, 1 / factor));
    },
    wipe(): void {
      analysis?.fill(0);
    },
  };
}
