/**
 * Video files for Chromium's fake camera (--use-file-for-fake-video-capture), made from the
 * face photos shipped in @vladmandic/face-api. An MJPEG file is JPEG frames back to back; they
 * must be 4:2:0 or Chromium shows black frames.
 */
import { readFile, writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import { phoneReplay, samplePath } from './faces';

const FRAME = { width: 1280, height: 720 };

/**
 * Faces as measured in the original photos (x, y, width, height of the tight box; pupils apart;
 * for C the two eyes' outlines, corner to corner along the upper lid and back along the lower, as
 * the engine's face mesh finds them at 640 px).
 */
const PEOPLE = {
  // sample5 is a dim stairwell: lifted to the light a kiosk would have.
  C: {
    sample: 5,
    x: 347,
    y: 903,
    width: 224,
    height: 265,
    ipd: 98,
    brightness: 1.6,
    eyes: [
      [405, 990, 408, 987, 411, 984, 417, 981, 426, 981, 432, 981, 438, 987, 444, 990, 441, 990, 438, 990, 432, 993, 423, 996, 417, 996, 411, 996, 408, 993],
      [534, 978, 531, 975, 528, 972, 522, 972, 513, 972, 507, 975, 501, 981, 501, 984, 504, 981, 510, 984, 516, 984, 525, 984, 528, 981, 531, 981],
    ],
  },
  AB: { sample: 3, x: 592, y: 242, width: 702, height: 356, ipd: 103, brightness: 1, eyes: [] }, // two people side by side
} as const;

/**
 * Closed eyes drawn over a photo's open ones: each eye's opening covered by lid-coloured skin (taken
 * from the cheek under it) with a line of lashes, softened. The engine's face mesh then reads the
 * eyes at ~0.54 of their open opening (the blink watch's closed is under 0.75: app/blink.ts).
 */
async function closedEyes(photo: Buffer, eyes: ReadonlyArray<readonly number[]>): Promise<Buffer> {
  const { data, info } = await sharp(photo).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const lids = eyes.map((outline) => {
    const xs = outline.filter((_, i) => i % 2 === 0);
    const ys = outline.filter((_, i) => i % 2 === 1);
    const [cx, cy] = [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];
    const rx = ((Math.max(...xs) - Math.min(...xs)) / 2) * 1.25;
    const ry = ((Math.max(...ys) - Math.min(...ys)) / 2) * 1.8 + 2;
    const o = (Math.round(cy + ry + 10) * info.width + Math.round(cx)) * 3;
    const skin = `rgb(${data[o]},${data[o + 1]},${data[o + 2]})`;
    return `<ellipse cx="${cx}" cy="${cy}" rx="${rx}" ry="${ry}" fill="${skin}"/><path d="M${cx - rx} ${cy + 1} Q${cx} ${cy + ry * 0.7} ${cx + rx} ${cy + 1}" stroke="#201814" stroke-width="2.5" fill="none"/>`;
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${info.width}" height="${info.height}"><filter id="soft"><feGaussianBlur stdDeviation="1.2"/></filter><g filter="url(#soft)">${lids.join('')}</g></svg>`;
  return sharp(photo)
    .composite([{ input: Buffer.from(svg) }])
    .toBuffer();
}

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
export async function cameraFrame(who: keyof typeof PEOPLE, ipd: number, options: { light?: number; eyesClosed?: boolean } = {}): Promise<Buffer> {
  const p = PEOPLE[who];
  const scale = ipd / p.ipd;
  if (options.eyesClosed && p.eyes.length === 0) throw new Error(`no eye outlines for ${who}`);
  const original = await readFile(samplePath(p.sample));
  const photo = sharp(options.eyesClosed ? await closedEyes(original, p.eyes) : original);
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

/** One frame repeated `count` times, or a sequence of frames as given: Chromium's fake camera loops the file at 30 frames per second. */
export async function writeMjpeg(path: string, frames: Buffer | readonly Buffer[], count = 30): Promise<string> {
  await writeFile(path, Buffer.concat(Buffer.isBuffer(frames) ? Array.from({ length: count }, () => frames) : [...frames]));
  return path;
}

/**
 * A visitor who blinks, as the fake camera plays it: 1.2 s of open eyes, then 0.3 s closed (a
 * slow blink, so guidance's iris frames see it on a slow machine too), looped.
 */
export const blinking = (open: Buffer, closed: Buffer): Buffer[] => [...Array.from({ length: 36 }, () => open), ...Array.from({ length: 9 }, () => closed)];

/** Person C at `ipd`, blinking (`blinking`): what every e2e visit that should be verified sees. */
export async function blinkingFrames(ipd: number, options: { light?: number } = {}): Promise<Buffer[]> {
  return blinking(await cameraFrame('C', ipd, options), await cameraFrame('C', ipd, { ...options, eyesClosed: true }));
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
