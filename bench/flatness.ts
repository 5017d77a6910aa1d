/**
 * `npm run bench:flatness -- --video <dir> [--window S] [--fps N] [--json] [--out rows.json]`
 *
 * The evidence for the second liveness signal (app/flatness.ts): how far a face moved over a
 * capture hold, and how much of that motion no plane explains, on
 * - every live video in <dir> (a name without "fake"), one hold every second;
 * - the replays in <dir> (a name with "fake": a phone or a monitor, hand-held);
 * - planar presentations made here: the npm sample faces and one frame of each live video,
 *   "printed" and moved by hand in front of a 720p camera (a plane turning and tilting a few
 *   degrees and drifting, at hand frequencies), filling the view or with a white margin on a wall.
 * Each hold is `--window` seconds sampled at `--fps` (guidance's frame rate), the face mesh found
 * by the engine's Human at guidance's 640 px, as the kiosk's guidance loop sees it.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { RIGID_LANDMARKS, flatnessEvidence, type FlatnessEvidence, type Point } from '../app/flatness';
import { analyze } from '../engine/analysis/analyze';
import { engineConfig, loadHuman } from '../engine/analysis/humanNode';
import { faceCrop } from '../harness/faces';
import { quantiles } from './metrics';
import { mjpegFramesEvery, splitMjpeg } from './mjpeg';
import { readFile, writeFile } from 'node:fs/promises';

const { values } = parseArgs({
  options: {
    video: { type: 'string' },
    window: { type: 'string', default: '0.8' },
    fps: { type: 'string', default: '15' },
    json: { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});
const WINDOW_S = Number(values.window);
const FPS = Number(values.fps);
const FRAMES = Math.max(3, Math.round(WINDOW_S * FPS));

const config = engineConfig(['detector', 'mesh']);
const human = await loadHuman(config);

/** The main face's rigid landmarks and pupil distance in one picture, as guidance measures them (640 px). */
async function landmarks(picture: Uint8Array): Promise<{ points: Point[]; ipd: number } | null> {
  const face = (await analyze(human, config, picture, { maxSide: 640, withMesh: true })).faces[0];
  if (!face?.mesh || face.mesh.length < 468) return null;
  return { points: RIGID_LANDMARKS.map((i) => face.mesh![i]!), ipd: face.interpupillaryPx };
}

async function evidenceOf(pictures: readonly Uint8Array[]): Promise<FlatnessEvidence | null> {
  const track: Point[][] = [];
  const ipds: number[] = [];
  for (const picture of pictures) {
    const seen = await landmarks(picture);
    if (!seen) return null; // a hold needs the face in every frame
    track.push(seen.points);
    ipds.push(seen.ipd);
  }
  return flatnessEvidence(track, quantiles(ipds).median);
}

type Row = { source: string; kind: 'live' | 'replay' | 'planar'; evidence: FlatnessEvidence };
const rows: Row[] = [];

// Live people and the shared replays: one hold every second of each video.
const videos = values.video ? (await readdir(values.video)).filter((f) => f.endsWith('.mjpeg')).sort() : [];
for (const file of videos) {
  const frames = splitMjpeg(await readFile(join(values.video!, file)));
  const step = Math.max(1, Math.round(30 / FPS));
  for (let start = 0; start + FRAMES * step < frames.length; start += 30) {
    const hold = Array.from({ length: FRAMES }, (_, k) => frames[start + k * step]!);
    const evidence = await evidenceOf(hold);
    if (evidence) rows.push({ source: file.replace('.mjpeg', ''), kind: /fake/i.test(file) ? 'replay' : 'live', evidence });
  }
  if (!values.json) console.error(`${file}: ${rows.filter((r) => r.source === file.replace('.mjpeg', '')).length} holds`);
}

// Planar presentations: a picture on a plane in front of a pinhole camera, moved by hand.
const CAMERA = { width: 1280, height: 720, focal: 1000 };
type Pose = { yaw: number; pitch: number; roll: number; tx: number; ty: number; z: number };

/** The homography from the picture's pixels (centred, scaled by `mmPerPx`) to the camera's, for a plane at `pose`. */
function planeToCamera(pose: Pose, mmPerPx: number, picture: { width: number; height: number }) {
  const { yaw, pitch, roll } = pose;
  const [cy, sy, cp, sp, cr, sr] = [Math.cos(yaw), Math.sin(yaw), Math.cos(pitch), Math.sin(pitch), Math.cos(roll), Math.sin(roll)];
  // R = Rz(roll) · Rx(pitch) · Ry(yaw); only its first two columns act on a plane z = 0.
  const r = [
    [cr * cy + sr * sp * sy, -sr * cp],
    [sr * cy - cr * sp * sy, cr * cp],
    [-cp * sy, -sp],
  ];
  const f = CAMERA.focal;
  const [cx0, cy0] = [CAMERA.width / 2, CAMERA.height / 2];
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

/** One camera frame of the plane: inverse mapping with bilinear sampling; outside the picture, `background` (or its edge repeated). */
async function renderPlane(picture: { data: Buffer; width: number; height: number }, pose: Pose, mmPerPx: number, background: 'edge' | 'wall') {
  const inv = invert3(planeToCamera(pose, mmPerPx, picture));
  const out = Buffer.alloc(CAMERA.width * CAMERA.height * 3);
  const { data, width, height } = picture;
  for (let v = 0; v < CAMERA.height; v++) {
    for (let u = 0; u < CAMERA.width; u++) {
      const w = inv[2]![0]! * u + inv[2]![1]! * v + inv[2]![2]!;
      let x = (inv[0]![0]! * u + inv[0]![1]! * v + inv[0]![2]!) / w;
      let y = (inv[1]![0]! * u + inv[1]![1]! * v + inv[1]![2]!) / w;
      const o = (v * CAMERA.width + u) * 3;
      const outside = x < 0 || y < 0 || x > width - 1 || y > height - 1;
      if (outside && background === 'wall') {
        const shade = 150 - (60 * v) / CAMERA.height;
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
      for (let ch = 0; ch < 3; ch++) {
        const p = (yy: number, xx: number) => data[(yy * width + xx) * 3 + ch]!;
        out[o + ch] = (p(y0, x0) * (1 - fx) + p(y0, x0 + 1) * fx) * (1 - fy) + (p(y0 + 1, x0) * (1 - fx) + p(y0 + 1, x0 + 1) * fx) * fy;
      }
    }
  }
  return sharp(out, { raw: { width: CAMERA.width, height: CAMERA.height, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** A hand's motion: a few degrees of turn and tilt and a drift, at 0.5–1.5 Hz, different per presentation. */
const handPose = (t: number, seed: number, z: number): Pose => ({
  yaw: (4 + 3 * Math.sin(seed)) * (Math.PI / 180) * Math.sin(2 * Math.PI * (0.6 + 0.3 * Math.cos(seed)) * t + seed),
  pitch: (3 + 2 * Math.cos(seed * 1.7)) * (Math.PI / 180) * Math.sin(2 * Math.PI * (0.9 + 0.4 * Math.sin(seed * 2.3)) * t + 2 * seed),
  roll: 2 * (Math.PI / 180) * Math.sin(2 * Math.PI * 0.5 * t + seed),
  tx: 8 * Math.sin(2 * Math.PI * 0.4 * t + seed),
  ty: 5 * Math.cos(2 * Math.PI * 0.7 * t + seed),
  z,
});

async function rawOf(bytes: Uint8Array, margin: boolean) {
  let image = sharp(bytes).removeAlpha();
  if (margin) image = sharp(await image.extend({ top: 40, bottom: 40, left: 40, right: 40, background: '#f4f4f0' }).toBuffer());
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

const pictures: Array<{ name: string; bytes: Uint8Array }> = [];
for (const name of ['A', 'B', 'C'] as const) pictures.push({ name: `sample ${name}`, bytes: await faceCrop(name, { margin: 0.9 }) });
for (const file of videos.filter((f) => !/fake/i.test(f))) {
  const [first] = await mjpegFramesEvery(join(values.video!, file), 1);
  if (first) pictures.push({ name: file.replace('.mjpeg', ''), bytes: first.bytes });
}
let seed = 0;
for (const { name, bytes } of pictures) {
  const seen = await landmarks(bytes);
  if (!seen) continue;
  for (const margin of [false, true]) {
    const picture = await rawOf(bytes, margin);
    // The face's pupils ~110 px apart at the start (the middle of the 720p range): 63 mm → 110 px at distance z.
    const z = 450;
    const mmPerPx = (110 * z) / CAMERA.focal / seen.ipd;
    for (let hold = 0; hold < 3; hold++) {
      seed += 1;
      const frames = [];
      for (let k = 0; k < FRAMES; k++) frames.push(await renderPlane(picture, handPose(hold * 1.3 + k / FPS, seed, z), mmPerPx, margin ? 'wall' : 'edge'));
      const evidence = await evidenceOf(frames);
      if (evidence) rows.push({ source: `${name} ${margin ? 'with margin' : 'full frame'}`, kind: 'planar', evidence });
    }
  }
  if (!values.json) console.error(`planar ${name}: done`);
}

if (values.out) await writeFile(values.out, JSON.stringify(rows));
if (values.json) {
  console.log(JSON.stringify(rows));
} else {
  console.log(`\nHolds of ${WINDOW_S} s at ${FPS} frames per second (${FRAMES} frames); units: pupil distances.\n`);
  console.log('| source | kind | holds | motion, median | non-planar, min / p10 / median |');
  console.log('| --- | --- | --- | --- | --- |');
  const sources = [...new Set(rows.map((r) => `${r.kind}\t${r.source}`))];
  for (const key of sources) {
    const [kind, source] = key.split('\t') as [string, string];
    const list = rows.filter((r) => r.kind === kind && r.source === source);
    const m = quantiles(list.map((r) => r.evidence.motion));
    const n = quantiles(list.map((r) => r.evidence.nonPlanar));
    console.log(`| ${source} | ${kind} | ${list.length} | ${m.median.toFixed(4)} | ${n.min.toFixed(4)} / ${n.p10.toFixed(4)} / ${n.median.toFixed(4)} |`);
  }
  // What no plane explains per unit of motion: a plane's residual is the mesh's own error, which
  // does not grow with the motion; a head's parallax does. Holds that barely moved are counted apart.
  const ratio = (e: FlatnessEvidence) => e.nonPlanar / Math.max(1e-9, e.motion);
  for (const kind of ['live', 'replay', 'planar']) {
    const list = rows.filter((r) => r.kind === kind);
    const n = quantiles(list.map((r) => r.evidence.nonPlanar));
    console.log(
      `${kind}: ${list.length} holds; non-planar min ${n.min.toFixed(4)}, p10 ${n.p10.toFixed(4)}, median ${n.median.toFixed(4)}, max ${n.max.toFixed(4)}`,
    );
    for (const minMotion of [0, 0.03, 0.05, 0.1]) {
      const moved = list.filter((r) => r.evidence.motion >= minMotion);
      const q = quantiles(moved.map((r) => ratio(r.evidence)));
      console.log(
        `  moved ≥ ${minMotion}: ${moved.length} holds; non-planar ÷ motion min ${q.min.toFixed(3)}, p10 ${q.p10.toFixed(3)}, median ${q.median.toFixed(3)}, max ${q.max.toFixed(3)}`,
      );
    }
  }
}
