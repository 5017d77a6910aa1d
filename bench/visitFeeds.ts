/**
 * Feeds for the visits harness from any MJPEG video: the same video at the kiosk's distance
 * (scaled and padded to a 1280×720 frame around the face, as a kiosk camera at 50 cm sees it) and
 * an ID portrait cut from its most frontal frame.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { distanceRange } from '../app/captureGeometry';
import { analyze } from '../engine/analysis/analyze';
import { engineConfig, loadHuman } from '../engine/analysis/humanNode';
import { cameraView, documentWidthMm } from '../harness/documentViews';
import { handHeldPrint, rawOf } from '../harness/planarPresentation';
import { median } from './metrics';
import { splitMjpeg } from './mjpeg';

const FRAME = { width: 1280, height: 720 };
type Size = { width: number; height: number };

/**
 * A video frame's content at `scale`, placed so `centre` (the face, in the video's pixels) sits at
 * the centre of a `frame`-sized camera view: cropped where the scaled video is larger, its edge
 * pixels repeated where it is smaller. Not a plain wall: a flat border frames the picture, and
 * MiniFASNet reads a frame around a face as a screen's bezel (tranvanluyt's live frames scored
 * ~0.5 on a wall, 1.00 with repeated edges).
 */
export async function composeAround(picture: Uint8Array, size: Size, centre: { x: number; y: number }, scale: number, frame: Size) {
  const width = Math.round(size.width * scale);
  const height = Math.round(size.height * scale);
  const left = Math.round(frame.width / 2 - centre.x * scale);
  const top = Math.round(frame.height / 2 - centre.y * scale);
  const scaled = await sharp(picture).resize(width, height).toBuffer();
  const cut = { left: Math.max(0, -left), top: Math.max(0, -top) };
  const part = { width: Math.min(width - cut.left, frame.width - Math.max(0, left)), height: Math.min(height - cut.top, frame.height - Math.max(0, top)) };
  const piece = await sharp(scaled)
    .extract({ ...cut, ...part })
    .toBuffer();
  const pad = { left: Math.max(0, left), top: Math.max(0, top) };
  return sharp(piece)
    .extend({ ...pad, right: frame.width - pad.left - part.width, bottom: frame.height - pad.top - part.height, extendWith: 'copy' })
    .jpeg({ quality: 90, chromaSubsampling: '4:2:0' })
    .toBuffer();
}

/** The middle of guidance's distance range for the harness's 720p feeds (app/captureGeometry.ts). */
const RANGE = distanceRange(FRAME);
export const MIDDLE_IPD = Math.round((RANGE.minIpd + RANGE.maxIpd) / 2);

export async function makeVisitFeed(video: string, outDir: string, target = MIDDLE_IPD) {
  const frames = splitMjpeg(await readFile(video));
  const config = engineConfig(['detector', 'mesh', 'iris']);
  const human = await loadHuman(config);
  // Measure the face on a frame every half second (30 fps).
  const measured = [];
  for (let i = 0; i < frames.length; i += 15) {
    const face = (await analyze(human, config, frames[i]!, { maxSide: 4096 })).faces[0];
    if (face) measured.push({ index: i, face });
  }
  if (measured.length === 0) throw new Error(`${video}: no face found in any sampled frame`);
  const meta = await sharp(frames[0]!).metadata();
  const centre = {
    x: median(measured.map((m) => m.face.box.x + m.face.box.width / 2)),
    y: median(measured.map((m) => m.face.box.y + m.face.box.height / 2)),
  };
  const compose = (frame: Uint8Array, scale: number) => composeAround(frame, meta as Size, centre, scale, FRAME);
  // The visitor's distance, by default the middle of guidance's range (--ipd sets another: its
  // ends are where a real visitor may stand too). The harness cannot move the person: the feed
  // keeps the video's own sway around that distance. The scale is set on the video's own frames,
  // then corrected once on the composed frames.
  // Only frontal frames set it: a turned head shortens the distance between the pupils.
  const frontal = (face: { yawDeg: number }) => Math.abs(face.yawDeg) <= 15;
  const basis = measured.some((m) => frontal(m.face)) ? measured.filter((m) => frontal(m.face)) : measured;
  let scale = target / median(basis.map((m) => m.face.interpupillaryPx));
  const check = [];
  for (const m of basis) {
    const face = (await analyze(human, config, await compose(frames[m.index]!, scale), {})).faces[0];
    if (face && frontal(face)) check.push(face.interpupillaryPx);
  }
  if (check.length) scale *= target / median(check);
  const out: Buffer[] = [];
  for (const frame of frames) out.push(await compose(frame, scale));
  await mkdir(outDir, { recursive: true });
  const name = basename(video, '.mjpeg');
  const feed = join(outDir, `${name}_ipd${Math.round(target)}.mjpeg`);
  await writeFile(feed, Buffer.concat(out));
  // The ID portrait: the most frontal face, with the margin an ID photo has around the head.
  const mostFrontal = measured.reduce((a, b) =>
    Math.abs(b.face.yawDeg) + Math.abs(b.face.pitchDeg) < Math.abs(a.face.yawDeg) + Math.abs(a.face.pitchDeg) ? b : a,
  );
  const { box } = mostFrontal.face;
  const margin = 0.5;
  const x = Math.max(0, Math.round(box.x - margin * box.width));
  const y = Math.max(0, Math.round(box.y - margin * box.height));
  const portrait = join(outDir, `${name}_id.jpg`);
  await sharp(frames[mostFrontal.index]!)
    .extract({
      left: x,
      top: y,
      width: Math.min(meta.width! - x, Math.round(box.width * (1 + 2 * margin))),
      height: Math.min(meta.height! - y, Math.round(box.height * (1 + 2 * margin))),
    })
    .jpeg({ quality: 90 })
    .toFile(portrait);
  return {
    feed,
    portrait,
    frames: frames.length,
    scale: Number(scale.toFixed(3)),
    measuredIpd: Number(median(measured.map((m) => m.face.interpupillaryPx)).toFixed(1)),
  };
}

/**
 * Presentation attacks as whole visits: one frame of a kiosk-distance feed (1 s in) printed and
 * held up by hand (harness/planarPresentation.ts), 4 s looped at 30 frames per second: `full`
 * fills the view as the feed did (no edge, margin or hand shows), `margin` is the print with a
 * white border on a wall, held a little further away (pupils at 0.8 of the feed's).
 */
export async function makePrintFeeds(feed: string, outDir: string) {
  const frames = splitMjpeg(await readFile(feed));
  const picture = frames[Math.min(30, frames.length - 1)]!;
  const config = engineConfig(['detector', 'mesh', 'iris']);
  const face = (await analyze(await loadHuman(config), config, picture, {})).faces[0];
  if (!face) throw new Error(`${feed}: no face in the frame to print`);
  await mkdir(outDir, { recursive: true });
  const made: string[] = [];
  for (const [kind, margin, ipd] of [
    ['full', false, face.interpupillaryPx],
    ['margin', true, 0.8 * face.interpupillaryPx],
  ] as const) {
    const print = await handHeldPrint(await rawOf(picture, margin), {
      seconds: 4,
      fps: 30,
      seed: made.length + 1,
      pictureIpd: face.interpupillaryPx,
      ipd,
      background: margin ? 'wall' : 'edge',
    });
    const path = join(outDir, `${basename(feed, '.mjpeg')}_print_${kind}.mjpeg`);
    await writeFile(path, Buffer.concat(print));
    made.push(path);
  }
  return made;
}

/**
 * An ID document held up to a 1080p ID camera, from a flat image of it: brought in from the side
 * over a second, then held with a hand's tremor (±1.5°, a few pixels) for four, over the same
 * desk (harness/documentViews.ts); 30 frames a second, `<name>_held.mjpeg`. Held at the distance
 * where the card is ~1100 px wide, which guidance asks for (a portrait of ~150 px).
 */
export async function makeIdFeed(document: string, outDir: string) {
  const picture = await readFile(document);
  const { width = 1, height = 1 } = await sharp(picture).metadata();
  const widthMm = documentWidthMm(basename(document), width / height);
  const frame = { width: 1920, height: 1080 };
  const focal = frame.width / 2 / Math.tan((35 * Math.PI) / 180);
  const heldCm = (focal * widthMm) / 1100 / 10;
  const frames: Buffer[] = [];
  // 15 distinct poses a second, each shown twice.
  for (let k = 0; k < 75; k++) {
    const t = k / 15;
    const coming = Math.max(0, 1 - t);
    const view = await cameraView(picture, widthMm, {
      frame,
      distanceCm: heldCm * (1 + 0.6 * coming),
      offset: { x: 0.04 + 0.5 * coming + 0.004 * Math.sin(7 * t), y: -0.02 + 0.003 * Math.cos(5 * t) },
      yaw: 4 + 1.5 * Math.sin(3.1 * t) + 15 * coming,
      pitch: -3 + 1.5 * Math.sin(2.3 * t + 1),
      roll: 2 + Math.sin(1.7 * t + 2),
      seed: 7,
    });
    const jpeg = await sharp(view.png).jpeg({ quality: 90, chromaSubsampling: '4:2:0' }).toBuffer();
    view.png.fill(0);
    frames.push(jpeg, jpeg);
  }
  await mkdir(outDir, { recursive: true });
  const path = join(outDir, `${basename(document).replace(/\.[^.]+$/, '')}_held.mjpeg`);
  await writeFile(path, Buffer.concat(frames));
  return { feed: path, frames: frames.length, distanceCm: Number(heldCm.toFixed(1)) };
}
