/**
 * Presentation attacks made here: a picture printed (or shown on a screen) and held in front of
 * a pinhole camera by hand. Every camera frame is the picture on a plane at a pose, so the
 * presentation moves as a print does (a few degrees of turn and tilt and a drift at hand
 * frequencies) and never blinks. Used by the second-signal bench (bench/secondSignal.ts), the
 * visits harness's attack feeds (bench/visitFeeds.ts) and the e2e print that must never be
 * "Verified" (tests/e2e/flow.test.ts).
 */
import sharp from 'sharp';

export interface PlaneCamera {
  width: number;
  height: number;
  /** Focal length in pixels: 1000 at 1280×720 is a ~65° webcam. */
  focal: number;
}
export const CAMERA_720P: PlaneCamera = { width: 1280, height: 720, focal: 1000 };

/** Where the plane is: turned (yaw), tilted (pitch) and rolled, in radians; moved (mm) and `z` mm away. */
export type Pose = { yaw: number; pitch: number; roll: number; tx: number; ty: number; z: number };

export interface RawPicture {
  data: Buffer;
  width: number;
  height: number;
}

/** The homography from the picture's pixels (centred, scaled by `mmPerPx`) to the camera's, for a plane at `pose`. */
function planeToCamera(camera: PlaneCamera, pose: Pose, mmPerPx: number, picture: { width: number; height: number }) {
  const { yaw, pitch, roll } = pose;
  const [cy, sy, cp, sp, cr, sr] = [Math.cos(yaw), Math.sin(yaw), Math.cos(pitch), Math.sin(pitch), Math.cos(roll), Math.sin(roll)];
  // R = Rz(roll) · Rx(pitch) · Ry(yaw); only its first two columns act on a plane z = 0.
  const r = [
    [cr * cy + sr * sp * sy, -sr * cp],
    [sr * cy - cr * sp * sy, cr * cp],
    [-cp * sy, -sp],
  ];
  const f = camera.focal;
  const [cx0, cy0] = [camera.width / 2, camera.height / 2];
  // Picture pixel (u, v) → plane point ((u − w/2)·mm, (v − h/2)·mm) → camera.
  const col = (j: 0 | 1) => [f * r[0]![j]! + cx0 * r[2]![j]!, f * r[1]![j]! + cy0 * r[2]![j]!, r[2]![j]!];
  const t = [f * pose.tx + cx0 * pose.z, f * pose.ty + cy0 * pose.z, pose.z];
  const [a, b] = [col(0), col(1)];
  const ox = -picture.width / 2;
  const oy = -picture.height / 2;
  // H = [a b t] · diag(mm, mm, 1) · translate(ox, oy)
  return [0, 1, 2].map((i) => [a[i]! * mmPerPx, b[i]! * mmPerPx, (a[i]! * ox + b[i]! * oy) * mmPerPx + t[i]!]);
}

function invert3(m: number[][]): number[][] {
  const [[a, b, c], [d, e, f], [g, h, i]] = m as [[number, number, number], [number, number, number], [number, number, number]];
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return [
    [A / det, -(b * i - c * h) / det, (b * f - c * e) / det],
    [B / det, (a * i - c * g) / det, -(a * f - c * d) / det],
    [C / det, -(a * h - b * g) / det, (a * e - b * d) / det],
  ];
}

/**
 * One camera frame of the plane (JPEG, 4:2:0 as Chromium's fake camera needs): inverse mapping
 * with bilinear sampling. Outside the picture: its edge repeated (`edge`: the print fills the
 * view, no margin shows) or a wall (`wall`: the print's margin and the room around it show).
 */
export async function renderPlane(picture: RawPicture, pose: Pose, mmPerPx: number, background: 'edge' | 'wall', camera = CAMERA_720P): Promise<Buffer> {
  const inv = invert3(planeToCamera(camera, pose, mmPerPx, picture));
  const out = Buffer.alloc(camera.width * camera.height * 3);
  const { data, width, height } = picture;
  for (let v = 0; v < camera.height; v++) {
    for (let u = 0; u < camera.width; u++) {
      const w = inv[2]![0]! * u + inv[2]![1]! * v + inv[2]![2]!;
      let x = (inv[0]![0]! * u + inv[0]![1]! * v + inv[0]![2]!) / w;
      let y = (inv[1]![0]! * u + inv[1]![1]! * v + inv[1]![2]!) / w;
      const o = (v * camera.width + u) * 3;
      if (background === 'wall' && (x < 0 || y < 0 || x > width - 1 || y > height - 1)) {
        const shade = 150 - (60 * v) / camera.height;
        out[o] = shade;
        out[o + 1] = shade + 6;
        out[o + 2] = shade - 4;
        continue;
      }
      x = Math.min(width - 1.001, Math.max(0, x));
      y = Math.min(height - 1.001, Math.max(0, y));
      const x0 = Math.floor(x);
      const y0 = Math.floor(y);
      const fx = x - x0;
      const fy = y - y0;
      const i00 = (y0 * width + x0) * 3;
      const i10 = i00 + width * 3;
      const [w00, w01, w10, w11] = [(1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy];
      for (let ch = 0; ch < 3; ch++) out[o + ch] = data[i00 + ch]! * w00 + data[i00 + 3 + ch]! * w01 + data[i10 + ch]! * w10 + data[i10 + 3 + ch]! * w11;
    }
  }
  return sharp(out, { raw: { width: camera.width, height: camera.height, channels: 3 } })
    .jpeg({ quality: 90, chromaSubsampling: '4:2:0' })
    .toBuffer();
}

/** A hand's motion: a few degrees of turn and tilt and a drift, at 0.5–1.5 Hz, different per `seed`. */
export const handPose = (t: number, seed: number, z: number): Pose => ({
  yaw: (4 + 3 * Math.sin(seed)) * (Math.PI / 180) * Math.sin(2 * Math.PI * (0.6 + 0.3 * Math.cos(seed)) * t + seed),
  pitch: (3 + 2 * Math.cos(seed * 1.7)) * (Math.PI / 180) * Math.sin(2 * Math.PI * (0.9 + 0.4 * Math.sin(seed * 2.3)) * t + 2 * seed),
  roll: 2 * (Math.PI / 180) * Math.sin(2 * Math.PI * 0.5 * t + seed),
  tx: 8 * Math.sin(2 * Math.PI * 0.4 * t + seed),
  ty: 5 * Math.cos(2 * Math.PI * 0.7 * t + seed),
  z,
});

/** A picture's pixels, with a white print margin when asked. */
export async function rawOf(bytes: Uint8Array, margin: boolean): Promise<RawPicture> {
  let image = sharp(bytes).removeAlpha();
  if (margin) image = sharp(await image.extend({ top: 40, bottom: 40, left: 40, right: 40, background: '#f4f4f0' }).toBuffer());
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/**
 * A print moved by hand for `seconds` at `fps`: its frames. `mmPerPx` follows from where the face
 * should be: pupils `ipd` px apart at `z` mm for a face whose pupils are `pictureIpd` px apart in the
 * picture (a real face's 63 mm at the camera's focal length).
 */
export async function handHeldPrint(
  picture: RawPicture,
  options: { seconds: number; fps: number; seed: number; pictureIpd: number; ipd: number; background: 'edge' | 'wall'; camera?: PlaneCamera; start?: number },
): Promise<Buffer[]> {
  const camera = options.camera ?? CAMERA_720P;
  const z = 450;
  const mmPerPx = (options.ipd * z) / camera.focal / options.pictureIpd;
  const frames: Buffer[] = [];
  for (let k = 0; k < Math.round(options.seconds * options.fps); k++) {
    frames.push(await renderPlane(picture, handPose((options.start ?? 0) + k / options.fps, options.seed, z), mmPerPx, options.background, camera));
  }
  return frames;
}
