/**
 * Passive presentation-attack detection: MiniFASNet (minivision-ai/Silent-Face-Anti-Spoofing,
 * Apache-2.0), two small CNNs that read the texture of a face and its surroundings and tell a
 * live face from a print or a screen. Vendored in engine/models/minifasnet with its licence.
 *
 * The port follows the reference pipeline exactly, because every difference was measured to
 * break it (engine/models/minifasnet/README.md): the reference detector's face box, a window of
 * 2.7× (V2) and 4.0× (V1SE) that box shrunk and shifted to stay inside the image, resized to
 * 80×80 with OpenCV's bilinear rule (half-pixel centres, rounded to 8 bits), BGR, 0..255, CHW.
 * The score is the mean of the two models' "real" probabilities.
 */
import type { GraphModel, Human, Tensor } from '@vladmandic/human';
import type { FaceMetrics } from '../../app/faceRules';

type Box = FaceMetrics['box'];

export const MINIFASNET = [
  { name: 'MiniFASNetV2', scale: 2.7 },
  { name: 'MiniFASNetV1SE', scale: 4.0 },
] as const;
export const MINIFASNET_INPUT = 80;
/**
 * The vendored models: engine/models/minifasnet from the sources (engine/analysis/), and
 * dist/models/minifasnet from the bundled worker (dist/main/), where the build copies them.
 */
export const MINIFASNET_DIR = new URL('../models/minifasnet/', import.meta.url);
/** The softmax class the reference calls "real"; 0 and 2 are kinds of attack. */
const REAL_CLASS = 1;

/**
 * Human's tight mesh box (forehead to chin, cheek to cheek) in the reference detector's geometry.
 * The reference's RetinaFace-style box is wider than the mesh (it reaches the ears) and reaches
 * below the chin. Chosen by reproducing the reference's published scores on ../shared/eval
 * (docs/accuracy.md, "Liveness"), not by our error rates, and never on single files.
 */
export const REFERENCE_BOX = { widen: 1.2, top: 0, bottom: 0.1 } as const;

export function referenceBox(mesh: Box): Box {
  const { widen, top, bottom } = REFERENCE_BOX;
  const width = mesh.width * widen;
  return { x: mesh.x + (mesh.width - width) / 2, y: mesh.y + top * mesh.height, width, height: mesh.height * (1 - top + bottom) };
}

/** The box in integers as the reference's detector reports it: `[int(left), int(top), int(right-left+1), int(bottom-top+1)]`. */
function integerBox(box: Box) {
  return { x: Math.trunc(box.x), y: Math.trunc(box.y), width: Math.trunc(box.width + 1), height: Math.trunc(box.height + 1) };
}

/**
 * The reference's `CropImage._get_new_box`: a window `scale` times the box, centred on it, with
 * the scale lowered until the window fits the image, then shifted back inside. Inclusive pixel
 * bounds, as the reference slices `[top : bottom + 1, left : right + 1]`.
 */
export function cropWindow(image: { width: number; height: number }, face: Box, scale: number) {
  const box = integerBox(face);
  const s = Math.min((image.height - 1) / box.height, (image.width - 1) / box.width, scale);
  const w = box.width * s;
  const h = box.height * s;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  let left = cx - w / 2;
  let top = cy - h / 2;
  let right = cx + w / 2;
  let bottom = cy + h / 2;
  if (left < 0) {
    right -= left;
    left = 0;
  }
  if (top < 0) {
    bottom -= top;
    top = 0;
  }
  if (right > image.width - 1) {
    left -= right - image.width + 1;
    right = image.width - 1;
  }
  if (bottom > image.height - 1) {
    top -= bottom - image.height + 1;
    bottom = image.height - 1;
  }
  return { left: Math.trunc(left), top: Math.trunc(top), right: Math.trunc(right), bottom: Math.trunc(bottom) };
}

export interface RgbImage {
  /** Interleaved RGB, 8 bits per channel, after EXIF rotation. */
  data: Uint8Array;
  width: number;
  height: number;
}

/**
 * One model's input: the window cut from the RGB image and resized to 80×80 as OpenCV's
 * INTER_LINEAR does (half-pixel centres, edge pixels repeated, rounded back to 8 bits), as float32
 * BGR 0..255 in CHW order. Plain JS: 19,200 values cost well under a millisecond, where the same
 * steps as tfjs-wasm ops cost ~30 ms per crop.
 */
export function modelInput(image: RgbImage, window: ReturnType<typeof cropWindow>): Float32Array {
  const n = MINIFASNET_INPUT;
  const srcW = window.right - window.left + 1;
  const srcH = window.bottom - window.top + 1;
  const taps = (dst: number, ratio: number, size: number) => {
    const f = (dst + 0.5) * ratio - 0.5;
    const i = Math.floor(f);
    if (i < 0) return { i: 0, j: 0, w: 0 };
    if (i >= size - 1) return { i: size - 1, j: size - 1, w: 0 };
    return { i, j: i + 1, w: f - i };
  };
  const xs = Array.from({ length: n }, (_, x) => taps(x, srcW / n, srcW));
  const out = new Float32Array(3 * n * n);
  for (let y = 0; y < n; y += 1) {
    const ty = taps(y, srcH / n, srcH);
    const row0 = (window.top + ty.i) * image.width;
    const row1 = (window.top + ty.j) * image.width;
    for (let x = 0; x < n; x += 1) {
      const tx = xs[x]!;
      const c00 = (row0 + window.left + tx.i) * 3;
      const c01 = (row0 + window.left + tx.j) * 3;
      const c10 = (row1 + window.left + tx.i) * 3;
      const c11 = (row1 + window.left + tx.j) * 3;
      for (let c = 0; c < 3; c += 1) {
        const top = image.data[c00 + c]! * (1 - tx.w) + image.data[c01 + c]! * tx.w;
        const bottom = image.data[c10 + c]! * (1 - tx.w) + image.data[c11 + c]! * tx.w;
        // RGB in, BGR out: channel c lands in plane 2 − c.
        out[(2 - c) * n * n + y * n + x] = Math.min(255, Math.max(0, Math.round(top * (1 - ty.w) + bottom * ty.w)));
      }
    }
  }
  return out;
}

export type AntispoofModels = ReadonlyArray<{ scale: number; model: GraphModel }>;

/**
 * Loads both models from `dir` (a file:// URL ending in "/"), through Human's own tfjs, and runs
 * each once so the first visitor does not pay for compiling its kernels.
 */
export async function loadAntispoof(human: Human, dir: URL): Promise<AntispoofModels> {
  const models = await Promise.all(
    MINIFASNET.map(async ({ name, scale }) => ({ scale, model: await human.tf.loadGraphModel(new URL(`${name}/model.json`, dir).href) })),
  );
  const blank = human.tf.zeros([1, 3, MINIFASNET_INPUT, MINIFASNET_INPUT]);
  for (const { model } of models) {
    const output = model.execute(blank, 'prob') as Tensor;
    await output.data();
    human.tf.dispose(output);
  }
  human.tf.dispose(blank);
  return models;
}

/** 0..1: the mean of the two models' "real" probabilities for the face at `mesh` (Human's box). */
export async function liveProbability(human: Human, models: AntispoofModels, image: RgbImage, mesh: Box): Promise<number> {
  const face = referenceBox(mesh);
  let sum = 0;
  for (const { scale, model } of models) {
    const input = human.tf.tensor4d(modelInput(image, cropWindow(image, face, scale)), [1, 3, MINIFASNET_INPUT, MINIFASNET_INPUT], 'float32');
    const output = model.execute(input, 'prob') as Tensor;
    try {
      sum += (await output.data())[REAL_CLASS]!;
    } finally {
      human.tf.dispose([input, output]);
    }
  }
  return sum / models.length;
}
