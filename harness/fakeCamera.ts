/**
 * Video files for Chromium's fake camera (--use-file-for-fake-video-capture), made from the
 * face photos shipped in @vladmandic/face-api. An MJPEG file is JPEG frames back to back; they
 * must be 4:2:0 or Chromium shows black frames.
 */
import { writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import { phoneReplay, samplePath } from './faces';

const FRAME = { width: 1280, height: 720 };

/** Faces as measured in the original photos (x, y, width, height of the tight box; pupils apart). */
const PEOPLE = {
  // sample5 is a dim stairwell: lifted to the light a kiosk would have.
  C: { sample: 5, x: 347, y: 903, width: 224, height: 265, ipd: 98, brightness: 1.6 },
  AB: { sample: 3, x: 592, y: 242, width: 702, height: 356, ipd: 103, brightness: 1 }, // two people side by side
} as const;

/**
 * The `ipd` (by the original photo's pupils) at which person C is measured just above 90 px in a
 * letterboxed 1280×720 frame: the engine reads 86–91 px there and guidance in Chromium ~93, so
 * the two measures differ by ~3 px on this photo. Inside the distance range
 * (app/captureGeometry.ts, 85–135 px at 720p) with room on both sides.
 */
export const KIOSK_IPD = 97;

/**
 * A 1280×720 frame of one photo scaled so the pupils are `ipd` px apart, centred on
 * the face(s). `light` scales the photo's brightness (1 = as a kiosk would light it).
 */
export async function cameraFrame(who: keyof typeof PEOPLE, ipd: number, options: { light?: number } = {}): Promise<Buffer> {
  const p = PEOPLE[who];
  const scale = ipd / p.ipd;
  const photo = sharp(samplePath(p.sample));
  const meta = await photo.metadata();
  const width = Math.round(meta.width! * scale);
  const height = Math.round(meta.height! * scale);
  const scaled = await photo
    .resize(width, height)
    .modulate({ brightness: p.brightness * (options.light ?? 1) })
    .toBuffer();
  // Pad generously so a small face can sit in the middle of a full frame.
  const padded = await sharp(scaled).extend({ top: FRAME.height, bottom: FRAME.height, left: FRAME.width, right: FRAME.width, extendWith: 'copy' }).toBuffer();
  const cx = (p.x + p.width / 2) * scale + FRAME.width;
  const cy = (p.y + p.height / 2) * scale + FRAME.height;
  return sharp(padded)
    .extract({ left: Math.round(cx - FRAME.width / 2), top: Math.round(cy - FRAME.height / 2), ...FRAME })
    .jpeg({ quality: 92, chromaSubsampling: '4:2:0' })
    .toBuffer();
}

/**
 * A presentation attack in front of the camera: person C's face replayed on a phone (faces.ts),
 * its backlight lifting the dim stairwell photo well past the guidance's light rule, at the
 * kiosk's distance (KIOSK_IPD).
 */
export const phoneReplayFrame = async () =>
  sharp(await phoneReplay('C', { brightness: 2, ipd: KIOSK_IPD }))
    .jpeg({ quality: 92, chromaSubsampling: '4:2:0' })
    .toBuffer();

export const emptyFrame = () =>
  sharp({ create: { ...FRAME, channels: 3, background: '#6d7f73' } })
    .jpeg({ chromaSubsampling: '4:2:0' })
    .toBuffer();

export async function writeMjpeg(path: string, frame: Buffer, count = 30): Promise<string> {
  await writeFile(path, Buffer.concat(Array.from({ length: count }, () => frame)));
  return path;
}

/** The visitor further away: a frame shrunk to `factor` in the middle of a plain wall. */
export async function distantFrame(frame: Buffer, factor: number): Promise<Buffer> {
  const small = await sharp(frame)
    .resize(Math.round(FRAME.width * factor))
    .toBuffer();
  return sharp({ create: { ...FRAME, channels: 3, background: '#8a8f86' } })
    .composite([{ input: small, gravity: 'centre' }])
    .jpeg({ quality: 92, chromaSubsampling: '4:2:0' })
    .toBuffer();
}

/**
 * The same scene through a portrait (9:16, 720×1280) camera: the frame's centre square, with wall
 * above and below (the sample photo's other people would otherwise come into a tall view).
 */
export async function portraitFrame(frame: Buffer): Promise<Buffer> {
  const square = await sharp(frame)
    .extract({ left: (FRAME.width - FRAME.height) / 2, top: 0, width: FRAME.height, height: FRAME.height })
    .toBuffer();
  const pad = (1280 - FRAME.height) / 2;
  return sharp(square).extend({ top: pad, bottom: pad, background: '#8a8f86' }).jpeg({ quality: 92, chromaSubsampling: '4:2:0' }).toBuffer();
}
