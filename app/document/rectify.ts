/**
 * The found document straightened at the camera's full resolution: the perspective taken out and
 * its proportions set to the standard size nearest to what was seen, so the portrait and the MRZ
 * are read from an upright, rectangular card.
 */
import { matFromRgba, type Cv } from './openCv';
import { documentAspect, type Quad } from './documentShape';
import { quadAspect, warpQuad, type RgbaImage } from './findDocument';

/** Longest side kept: a 4K frame of a passport page gives no more to read than this. */
const MAX_WIDTH = 2000;

export function rectifyDocument(cv: Cv, image: RgbaImage, quad: Quad): RgbaImage & { data: Uint8ClampedArray } {
  const side = (a: number, b: number) => Math.hypot(quad[a]!.x - quad[b]!.x, quad[a]!.y - quad[b]!.y);
  const horizontal = Math.max(side(0, 1), side(3, 2));
  const vertical = Math.max(side(0, 3), side(1, 2));
  const aspect = documentAspect(quadAspect(quad));
  // Landscape out, whichever way the card was held; its long side keeps the pixels it had.
  const width = Math.round(Math.min(MAX_WIDTH, Math.max(horizontal, vertical)));
  const height = Math.round(width / aspect);
  const turned = vertical > horizontal;
  // A card held upright: start the corners one step round so the long side comes out on top.
  const corners = (turned ? [quad[3], quad[0], quad[1], quad[2]] : quad) as Quad;
  const source = matFromRgba(cv, image);
  const out = warpQuad(cv, source, corners, { width, height });
  source.delete();
  const data = new Uint8ClampedArray(out.data);
  out.delete();
  return { data, width, height };
}
