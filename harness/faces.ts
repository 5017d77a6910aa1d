/**
 * Real faces for tests, cut from the group photos that ship inside @vladmandic/face-api
 * (demo/sample*.jpg, MIT). Nothing is committed: every fixture is made here from the package.
 * Face positions were measured once with the engine's detector on face-api 1.7.15.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';

const demo = join(dirname(createRequire(import.meta.url).resolve('@vladmandic/face-api/package.json')), 'demo');
export const samplePath = (n: number) => join(demo, `sample${n}.jpg`);

/** Tight mesh boxes and interpupillary distances in the original 1920-px-wide photos. */
const FACES = {
  /** sample3, left: frontal (yaw 10°, pitch 4°, roll −2°), IPD 102 px. */
  A: { sample: 3, x: 592, y: 353, width: 207, height: 245, ipd: 102 },
  /** sample3, centre: a different person. */
  B: { sample: 3, x: 1068, y: 242, width: 226, height: 262, ipd: 105 },
  /** sample5, front: frontal (yaw −6°, pitch 0°, roll −9°), IPD 98 px. */
  C: { sample: 5, x: 347, y: 903, width: 224, height: 265, ipd: 98 },
} as const;
type FaceName = keyof typeof FACES;

/** A crop around one face with `margin` face-widths on each side, scaled by `scale`. */
export async function faceCrop(name: FaceName, options: { margin?: number; scale?: number; quality?: number; format?: 'jpeg' | 'png' } = {}) {
  const f = FACES[name];
  const margin = options.margin ?? 0.6;
  const { width: photoWidth = 0, height: photoHeight = 0 } = await sharp(samplePath(f.sample)).metadata();
  const left = Math.max(0, Math.round(f.x - margin * f.width));
  const top = Math.max(0, Math.round(f.y - margin * f.height));
  const width = Math.min(photoWidth - left, Math.round(f.width * (1 + 2 * margin)));
  const height = Math.min(photoHeight - top, Math.round(f.height * (1 + 2 * margin)));
  const image = sharp(samplePath(f.sample))
    .extract({ left, top, width, height })
    .resize(Math.round(width * (options.scale ?? 1)));
  return options.format === 'png' ? image.png().toBuffer() : image.jpeg({ quality: options.quality ?? 90 }).toBuffer();
}

/**
 * A liveness capture as the kiosk would send it: a PNG 720 px high with one face at the
 * interpupillary distance of ~100 px (inside the accepted 85..135), framed 600 px wide so no neighbour shows.
 */
export async function livenessCapture(name: FaceName = 'C', targetIpd = 100): Promise<Buffer> {
  const f = FACES[name];
  const scale = targetIpd / f.ipd;
  const photo = sharp(samplePath(f.sample));
  const { width = 0, height = 0 } = await photo.metadata();
  const scaledWidth = Math.round(width * scale);
  const scaledHeight = Math.round((height * scaledWidth) / width);
  const scaled = await photo.resize(scaledWidth).toBuffer();
  const clamp = (v: number, max: number) => Math.min(Math.max(0, Math.round(v)), max);
  const left = clamp((f.x + f.width / 2) * scale - 300, scaledWidth - 600);
  const top = clamp((f.y + f.height / 2) * scale - 330, scaledHeight - 720);
  return sharp(scaled).extract({ left, top, width: 600, height: 720 }).png().toBuffer();
}

/** The same capture with the visitor further away: the face shrunk to 60 %, the frame still 720 px high. */
export async function distantCapture(): Promise<Buffer> {
  const small = await sharp(await livenessCapture())
    .resize({ height: 432 })
    .toBuffer();
  return sharp(small).extend({ top: 144, bottom: 144, left: 120, right: 120, background: '#203040' }).png().toBuffer();
}

/** A group photo (four people of similar size), fit for the match endpoint's 1024 px limit. */
export const groupPhoto = () => sharp(samplePath(6)).resize(1000).jpeg().toBuffer();

/** No face at all: a plain textured picture. */
export const noFacePhoto = () =>
  sharp({ create: { width: 600, height: 600, channels: 3, background: '#7a9' } })
    .composite([{ input: Buffer.from('<svg width="600" height="600"><rect x="100" y="150" width="400" height="300" fill="#345"/></svg>') }])
    .jpeg()
    .toBuffer();

/**
 * A replay attack as a phone shows it: the face cut close (as in a selfie video) on a screen with
 * a black bezel, held up against a plain wall, the face at the kiosk's distance (~95 px IPD).
 * `brightness` lifts the screen as a phone's backlight does (the stairwell photo is dim); `ipd`
 * sets the scale by the pupil distance measured on the original photo.
 */
export async function phoneReplay(name: FaceName, options: { brightness?: number; ipd?: number } = {}): Promise<Buffer> {
  const scale = (options.ipd ?? 95) / FACES[name].ipd;
  const screen = await sharp(await faceCrop(name, { margin: 0.15, scale }))
    .modulate({ brightness: options.brightness ?? 1 })
    .png()
    .toBuffer();
  const { width = 0, height = 0 } = await sharp(screen).metadata();
  const bezel = 36;
  const phone = { width: width + 2 * bezel, height: height + 2 * bezel };
  const body = Buffer.from(`<svg width="${phone.width}" height="${phone.height}"><rect width="100%" height="100%" rx="48" fill="#111"/></svg>`);
  const wall = Buffer.from(
    '<svg width="1280" height="720"><defs><linearGradient id="g" x2="0" y2="1"><stop offset="0" stop-color="#9aa39b"/><stop offset="1" stop-color="#4a5048"/></linearGradient></defs><rect width="1280" height="720" fill="url(#g)"/></svg>',
  );
  const device = await sharp(body)
    .composite([{ input: screen, left: bezel, top: bezel }])
    .png()
    .toBuffer();
  return sharp(wall)
    .composite([{ input: device, left: Math.round((1280 - phone.width) / 2), top: Math.round((720 - phone.height) / 2) }])
    .png()
    .toBuffer();
}
