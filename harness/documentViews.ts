/**
 * A flat document as a camera at the counter sees it: held at a distance in front of a webcam with
 * a 70° horizontal field of view, turned in 3-D, over a desk, with the glare of a ceiling light, a
 * thumb over its edge or motion blur. For the document benchmark (views of ../shared/eval's
 * specimens, never saved) and the tests (a card rendered by `testDocument.ts`). Deterministic:
 * each view's randomness comes from its seed.
 */
import sharp, { type OverlayOptions } from 'sharp';
import { matFromRgba } from '../app/document/openCv';
import { openCv } from '../main/document/openCv';
import type { Quad } from '../app/document/documentShape';

export type ViewSpec = {
  frame: { width: number; height: number };
  /** Card to camera, cm. */
  distanceCm: number;
  /** Turned about the vertical axis, the horizontal axis and the camera's axis, degrees. */
  yaw?: number;
  pitch?: number;
  roll?: number;
  glare?: boolean;
  /** Gaussian blur sigma in pixels (defocus or motion). */
  blur?: number;
  hand?: boolean;
  /** The card's centre, as a share of the frame from its centre. */
  offset?: { x: number; y: number };
  seed?: number;
};

const HALF_FOV = (35 * Math.PI) / 180;

/** Seeded so a view can be made again (mulberry32). */
function seeded(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Where the card's corners land in the frame: a pinhole camera looking at the turned card. */
export function projectCard(widthMm: number, heightMm: number, spec: ViewSpec): Quad {
  const { width, height } = spec.frame;
  const focal = width / 2 / Math.tan(HALF_FOV);
  const [yaw, pitch, roll] = [spec.yaw ?? 0, spec.pitch ?? 0, spec.roll ?? 0].map((d) => (d * Math.PI) / 180) as [number, number, number];
  const distance = spec.distanceCm * 10;
  const cx = width / 2 + (spec.offset?.x ?? 0) * width;
  const cy = height / 2 + (spec.offset?.y ?? 0) * height;
  const corners = [
    [-widthMm / 2, -heightMm / 2],
    [widthMm / 2, -heightMm / 2],
    [widthMm / 2, heightMm / 2],
    [-widthMm / 2, heightMm / 2],
  ] as const;
  return corners.map(([x0, y0]) => {
    const x1 = x0 * Math.cos(roll) - y0 * Math.sin(roll);
    const y1 = x0 * Math.sin(roll) + y0 * Math.cos(roll);
    // Yaw about y, then pitch about x.
    const x2 = x1 * Math.cos(yaw);
    const z2 = -x1 * Math.sin(yaw);
    const y3 = y1 * Math.cos(pitch) - z2 * Math.sin(pitch);
    const z3 = y1 * Math.sin(pitch) + z2 * Math.cos(pitch) + distance;
    return { x: cx + (focal * x2) / z3, y: cy + (focal * y3) / z3 };
  }) as unknown as Quad;
}

/** A desk: a wood-brown gradient with grain, different for every seed. */
async function desk(frame: { width: number; height: number }, random: () => number) {
  const tone = [110 + 60 * random(), 80 + 40 * random(), 50 + 30 * random()].map(Math.round) as [number, number, number];
  // Grain from the view's own seed (sharp's noise is not seeded): the same view every run.
  const noise = Buffer.alloc(frame.width * frame.height);
  for (let i = 0; i < noise.length; i++) {
    const gaussian = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    noise[i] = Math.max(0, Math.min(255, Math.round(128 + 40 * gaussian)));
  }
  const grain = await sharp(noise, { raw: { width: frame.width, height: frame.height, channels: 1 } })
    .blur(2)
    .raw()
    .toBuffer();
  const out = Buffer.alloc(frame.width * frame.height * 4);
  for (let i = 0; i < frame.width * frame.height; i++) {
    const shade = 0.75 + (0.5 * (i % frame.width)) / frame.width + (grain[i]! - 128) / 600;
    for (let c = 0; c < 3; c++) out[4 * i + c] = Math.max(0, Math.min(255, tone[c]! * shade));
    out[4 * i + 3] = 255;
  }
  return out;
}

/** The document image placed into a camera frame. Returns the frame (PNG) and the card's true corners. */
export async function cameraView(document: Buffer, widthMm: number, spec: ViewSpec): Promise<{ png: Buffer; quad: Quad }> {
  const { cv } = await openCv();
  const random = seeded(spec.seed ?? 1);
  const { data, info } = await sharp(document).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const heightMm = (widthMm * info.height) / info.width;
  const quad = projectCard(widthMm, heightMm, spec);
  const { width, height } = spec.frame;
  const source = matFromRgba(cv, { data, width: info.width, height: info.height });
  const frame = matFromRgba(cv, { data: await desk(spec.frame, random), width, height });
  const from = cv.matFromArray(4, 1, cv.CV_32FC2, [0, 0, info.width, 0, info.width, info.height, 0, info.height]);
  const to = cv.matFromArray(
    4,
    1,
    cv.CV_32FC2,
    quad.flatMap((p) => [p.x, p.y]),
  );
  const transform = cv.getPerspectiveTransform(from, to);
  cv.warpPerspective(source, frame, transform, new cv.Size(width, height), cv.INTER_AREA, cv.BORDER_TRANSPARENT);
  const pixels = Buffer.from(frame.data);
  for (const m of [source, frame, from, to, transform]) m.delete();

  const overlays: OverlayOptions[] = [];
  const cardWidth = Math.hypot(quad[1].x - quad[0].x, quad[1].y - quad[0].y);
  if (spec.glare) {
    // A ceiling light's reflection: a soft white oval somewhere over the card.
    const gx = quad[0].x + (0.2 + 0.6 * random()) * (quad[1].x - quad[0].x);
    const gy = quad[0].y + (0.2 + 0.6 * random()) * (quad[3].y - quad[0].y);
    const r = cardWidth * (0.08 + 0.06 * random());
    overlays.push({
      input: Buffer.from(
        `<svg width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg"><defs><radialGradient id="g"><stop offset="0" stop-color="#fff" stop-opacity="1"/><stop offset="0.55" stop-color="#fff" stop-opacity="0.95"/><stop offset="1" stop-color="#fff" stop-opacity="0"/></radialGradient></defs><ellipse cx="${gx}" cy="${gy}" rx="${r * 1.6}" ry="${r}" fill="url(#g)"/></svg>`,
      ),
    });
  }
  if (spec.hand) {
    // A thumb over the card's lower edge, as a hand holding it shows.
    const t = 0.3 + 0.4 * random();
    const hx = quad[3].x + t * (quad[2].x - quad[3].x);
    const hy = quad[3].y + t * (quad[2].y - quad[3].y);
    const r = cardWidth * 0.07;
    overlays.push({
      input: Buffer.from(
        `<svg width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg"><ellipse cx="${hx}" cy="${hy + r * 0.9}" rx="${r}" ry="${r * 1.8}" fill="#c68e6e"/><ellipse cx="${hx}" cy="${hy - r * 0.2}" rx="${r * 0.6}" ry="${r * 0.35}" fill="#dcb0a0" opacity="0.8"/></svg>`,
      ),
    });
  }
  let image = sharp(pixels, { raw: { width, height, channels: 4 } }).composite(overlays);
  if (spec.blur) image = sharp(await image.raw().toBuffer(), { raw: { width, height, channels: 4 } }).blur(spec.blur);
  // A webcam's JPEG, as the kiosk's camera delivers it.
  const jpeg = await image.removeAlpha().jpeg({ quality: 85 }).toBuffer();
  return { png: await sharp(jpeg).png({ compressionLevel: 1 }).toBuffer(), quad };
}

/** The physical width of a specimen from its shape (ID-1 card, TD2, or a passport page). */
export function documentWidthMm(file: string, aspect: number): number {
  if (/td3|passport/i.test(file)) return 125;
  if (/td2/i.test(file)) return 105;
  return aspect > 1.5 ? 85.6 : 125;
}
