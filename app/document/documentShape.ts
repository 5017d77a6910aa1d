/** Geometry shared by the document finder, the straightening and guidance. */
export type Point = { x: number; y: number };
/** Top-left, top-right, bottom-right, bottom-left. */
export type Quad = readonly [Point, Point, Point, Point];

/**
 * ICAO 9303's sizes (mm, long side first). Visas on a passport page take the page's shape (MRV-A
 * 120×80, MRV-B 105×74).
 */
export const DOCUMENT_SHAPES = [
  { name: 'ID-1 card (TD1)', aspect: 85.6 / 53.98 },
  { name: 'TD2 card or MRV-B visa', aspect: 105 / 74 },
  { name: 'passport page (TD3)', aspect: 125 / 88 },
  { name: 'MRV-A visa', aspect: 120 / 80 },
] as const;

/** A measured proportion snapped to the nearest standard one when within 8 %, else kept. */
export function documentAspect(measured: number): number {
  const nearest = DOCUMENT_SHAPES.reduce((a, b) => (Math.abs(b.aspect - measured) < Math.abs(a.aspect - measured) ? b : a));
  return Math.abs(nearest.aspect - measured) / nearest.aspect <= 0.08 ? nearest.aspect : measured;
}
