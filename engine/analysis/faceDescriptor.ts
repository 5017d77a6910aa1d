/**
 * The match descriptor: dlib's face-recognition ResNet (Davis King, released into the public
 * domain; 99.38 % on LFW as published), in the tfjs weights of @vladmandic/face-api (MIT),
 * vendored in engine/models/face-recognition with both notices. It reads a 150×150 "face chip"
 * aligned as dlib aligns it and gives 128 numbers; two chips of one person lie close together.
 *
 * Why not face-api itself: its Node build needs the whole @tensorflow/tfjs (~200 MB with layers,
 * data and webgl, plus a core-js install script) to run the ~40 lines of network below, which use
 * only tfjs-core ops on the wasm backend Human already loaded. The layers are face-api's
 * (src/faceRecognitionNet), the alignment is dlib's (`get_face_chip_details`), both ported as they are.
 */
import { readFile } from 'node:fs/promises';
import type { Human, Point, Tensor } from '@vladmandic/human';
import type { RgbImage } from './antispoof';

type Tf = Human['tf'];
type Tensor4D = ReturnType<Tf['tensor4d']>;
type Weights = Record<string, Tensor>;

export const FACE_RECOGNITION_DIR = new URL('../models/face-recognition/', import.meta.url);
export const CHIP_SIZE = 150;
/** dlib's `get_face_chip_details(shape, 150, 0.25)`: the chip shows the face with 25 % margin. */
const CHIP_PADDING = 0.25;

/**
 * dlib's 5-point alignment targets (`get_face_chip_details` for a 5-part shape), on the unit
 * face: the outer and inner corners of the image-left eye, the inner and outer corners of the
 * image-right eye, and the bottom of the nose. Beside each, the MediaPipe face-mesh vertex (Human's
 * mesh) at the same anatomical point.
 */
const ALIGNMENT = [
  { mesh: 33, x: 0.1205750620789, y: 0.2137274526848 },
  { mesh: 133, x: 0.3340850613712, y: 0.2290642403242 },
  { mesh: 362, x: 0.6460604764104, y: 0.2289674387677 },
  { mesh: 263, x: 0.8595674595992, y: 0.2134981538014 },
  { mesh: 2, x: 0.4901123135679, y: 0.6277975316475 },
] as const;

/** Mean RGB of the training chips, as face-api's port subtracts it before dividing by 255. */
const MEAN_RGB = [122.782, 117.001, 104.298] as const;

/**
 * The similarity transform (scale, rotation, shift) taking chip pixels to image pixels that best
 * fits the alignment points in the least-squares sense, as dlib's `find_similarity_transform`.
 * `x = a·u − b·v + tx`, `y = b·u + a·v + ty`.
 */
export function chipToImage(mesh: readonly Point[]) {
  const side = CHIP_SIZE / (1 + 2 * CHIP_PADDING);
  const from = ALIGNMENT.map((p) => [(p.x + CHIP_PADDING) * side, (p.y + CHIP_PADDING) * side] as const);
  const to = ALIGNMENT.map((p) => mesh[p.mesh]!);
  const n = from.length;
  const mean = (xs: ReadonlyArray<readonly [number, number, ...unknown[]]>, i: 0 | 1) => xs.reduce((s, p) => s + p[i], 0) / n;
  const [fu, fv, tx0, ty0] = [mean(from, 0), mean(from, 1), mean(to, 0), mean(to, 1)];
  let dot = 0;
  let cross = 0;
  let norm = 0;
  for (let i = 0; i < n; i += 1) {
    const u = from[i]![0] - fu;
    const v = from[i]![1] - fv;
    const x = to[i]![0] - tx0;
    const y = to[i]![1] - ty0;
    dot += u * x + v * y;
    cross += u * y - v * x;
    norm += u * u + v * v;
  }
  const a = dot / norm;
  const b = cross / norm;
  return { a, b, tx: tx0 - a * fu + b * fv, ty: ty0 - b * fu - a * fv };
}

/**
 * The 150×150 chip, RGB float 0..255, row-major HWC. Each chip pixel averages k×k bilinear
 * samples where k is how many image pixels it spans, so a large face is shrunk without aliasing
 * (dlib shrinks through an image pyramid for the same reason); edge pixels repeat past the border.
 */
export function faceChip(image: RgbImage, mesh: readonly Point[]): Float32Array {
  const { a, b, tx, ty } = chipToImage(mesh);
  const k = Math.max(1, Math.ceil(Math.hypot(a, b)));
  const out = new Float32Array(CHIP_SIZE * CHIP_SIZE * 3);
  const clamp = (value: number, max: number) => Math.min(max, Math.max(0, value));
  const rgb = [0, 0, 0];
  for (let v = 0; v < CHIP_SIZE; v += 1) {
    for (let u = 0; u < CHIP_SIZE; u += 1) {
      rgb.fill(0);
      for (let sv = 0; sv < k; sv += 1) {
        for (let su = 0; su < k; su += 1) {
          const cu = u + (su + 0.5) / k;
          const cv = v + (sv + 0.5) / k;
          const x = clamp(a * cu - b * cv + tx - 0.5, image.width - 1);
          const y = clamp(b * cu + a * cv + ty - 0.5, image.height - 1);
          const x0 = Math.floor(x);
          const y0 = Math.floor(y);
          const x1 = Math.min(x0 + 1, image.width - 1);
          const y1 = Math.min(y0 + 1, image.height - 1);
          const wx = x - x0;
          const wy = y - y0;
          for (let c = 0; c < 3; c += 1) {
            const top = image.data[(y0 * image.width + x0) * 3 + c]! * (1 - wx) + image.data[(y0 * image.width + x1) * 3 + c]! * wx;
            const bottom = image.data[(y1 * image.width + x0) * 3 + c]! * (1 - wx) + image.data[(y1 * image.width + x1) * 3 + c]! * wx;
            rgb[c]! += top * (1 - wy) + bottom * wy;
          }
        }
      }
      const o = (v * CHIP_SIZE + u) * 3;
      for (let c = 0; c < 3; c += 1) out[o + c] = rgb[c]! / (k * k);
    }
  }
  return out;
}

export interface FaceDescriptorNet {
  tf: Tf;
  weights: Weights;
}

/** Reads the vendored weights (uint8-quantised, as face-api ships them) into tensors and warms the net. */
export async function loadFaceDescriptor(human: Human, dir: URL): Promise<FaceDescriptorNet> {
  const manifest = JSON.parse(await readFile(new URL('face_recognition_model-weights_manifest.json', dir), 'utf8')) as Array<{
    paths: string[];
    weights: Parameters<Tf['io']['decodeWeights']>[1];
  }>;
  const group = manifest[0]!;
  const bin = await readFile(new URL(group.paths[0]!, dir));
  const weights = human.tf.io.decodeWeights(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength), group.weights) as Weights;
  const net = { tf: human.tf, weights };
  const grey = new Float32Array(CHIP_SIZE * CHIP_SIZE * 3).fill(128);
  await describeChips(net, [grey, grey]);
  return net;
}

/** face-api's FaceRecognitionNet.forwardInput, layer for layer. */
function forward(net: FaceDescriptorNet, input: Tensor4D): Tensor {
  const { tf, weights: w } = net;
  const convLayer = (x: Tensor4D, name: string, stride: 1 | 2, relu: boolean, padding: 'same' | 'valid' = 'same'): Tensor4D => {
    let out = tf.add(tf.conv2d(x, w[`${name}/conv/filters`] as Tensor4D, stride, padding), w[`${name}/conv/bias`]!) as Tensor4D;
    out = tf.add(tf.mul(out, w[`${name}/scale/weights`]!), w[`${name}/scale/biases`]!) as Tensor4D;
    return relu ? tf.relu(out) : out;
  };
  const residual = (x: Tensor4D, name: string): Tensor4D =>
    tf.relu(tf.add(convLayer(convLayer(x, `${name}/conv1`, 1, true), `${name}/conv2`, 1, false), x)) as Tensor4D;
  const residualDown = (x: Tensor4D, name: string): Tensor4D => {
    let out = convLayer(convLayer(x, `${name}/conv1`, 2, true, 'valid'), `${name}/conv2`, 1, false);
    let pooled = tf.avgPool(x, 2, 2, 'valid') as Tensor4D;
    if (pooled.shape[1] !== out.shape[1] || pooled.shape[2] !== out.shape[2]) {
      out = tf.concat([out, tf.zeros([out.shape[0], 1, out.shape[2], out.shape[3]])], 1) as Tensor4D;
      out = tf.concat([out, tf.zeros([out.shape[0], out.shape[1], 1, out.shape[3]])], 2) as Tensor4D;
    }
    if (pooled.shape[3] !== out.shape[3]) pooled = tf.concat([pooled, tf.zeros(pooled.shape)], 3) as Tensor4D;
    return tf.relu(tf.add(pooled, out)) as Tensor4D;
  };
  return tf.tidy(() => {
    let out = tf.div(tf.sub(input, tf.tensor1d([...MEAN_RGB])), 255) as Tensor4D;
    out = convLayer(out, 'conv32_down', 2, true, 'valid');
    out = tf.maxPool(out, 3, 2, 'valid') as Tensor4D;
    for (const name of ['conv32_1', 'conv32_2', 'conv32_3']) out = residual(out, name);
    for (const stage of [
      ['conv64_down', 'conv64_1', 'conv64_2', 'conv64_3'],
      ['conv128_down', 'conv128_1', 'conv128_2'],
      ['conv256_down', 'conv256_1', 'conv256_2'],
    ]) {
      out = residualDown(out, stage[0]!);
      for (const name of stage.slice(1)) out = residual(out, name);
    }
    out = residualDown(out, 'conv256_down_out');
    return tf.matMul(tf.mean(out, [1, 2]) as ReturnType<Tf['tensor2d']>, w.fc as ReturnType<Tf['tensor2d']>);
  });
}

/** The chip seen in a mirror: a face and its mirror image are the same person. */
export function mirrored(chip: Float32Array): Float32Array {
  const out = new Float32Array(chip.length);
  for (let v = 0; v < CHIP_SIZE; v += 1) {
    for (let u = 0; u < CHIP_SIZE; u += 1) {
      const from = (v * CHIP_SIZE + (CHIP_SIZE - 1 - u)) * 3;
      out.set(chip.subarray(from, from + 3), (v * CHIP_SIZE + u) * 3);
    }
  }
  return out;
}

/** The mean of the descriptors of `chips`, run as one batch. */
async function describeChips(net: FaceDescriptorNet, chips: readonly Float32Array[]): Promise<number[]> {
  const batch = new Float32Array(chips.length * chips[0]!.length);
  chips.forEach((chip, i) => batch.set(chip, i * chip.length));
  const input = net.tf.tensor4d(batch, [chips.length, CHIP_SIZE, CHIP_SIZE, 3], 'float32');
  const output = net.tf.tidy(() => net.tf.mean(forward(net, input), 0));
  try {
    return Array.from(await output.data());
  } finally {
    net.tf.dispose([input, output]);
  }
}

/**
 * The 128-d descriptor of the face whose mesh (Human's 468 points, in `image` pixels) is given:
 * the mean of the chip's and its mirror image's descriptors. Measured on LFW's DevTrain and
 * DevTest splits, the mirror raised accuracy and lowered FNMR at FMR 0.1 % (docs/accuracy.md, "Match");
 * the batch of two costs ~70 ms against ~37 ms for one chip on tfjs-wasm's one thread.
 */
export function describeFace(net: FaceDescriptorNet, image: RgbImage, mesh: readonly Point[]): Promise<number[]> {
  const chip = faceChip(image, mesh);
  return describeChips(net, [chip, mirrored(chip)]);
}
