/**
 * Finds an identity document in a picture: its four corners, and what guidance needs to know about
 * it (how much of the frame it fills, how far it is tilted, glare, sharpness). Runs wherever
 * OpenCV.js runs: the renderer's ID camera on every frame, main and the benchmarks on a whole
 * picture. Pixels in, numbers out; every Mat made here is deleted here.
 */
import { matFromRgba, type Cv } from './openCv';
import { DOCUMENT_SHAPES, type Point, type Quad } from './documentShape';

/** Pixels as a canvas's ImageData holds them: RGBA, row by row. */
export type RgbaImage = { data: Uint8Array | Uint8ClampedArray; width: number; height: number };

export type DocumentSighting = {
  /** Corners in the picture's own pixels: top-left, top-right, bottom-right, bottom-left. */
  quad: Quad;
  /** The document's area over the picture's. */
  fill: number;
  /** How far opposite sides differ in length (0 when the card faces the camera squarely). */
  tilt: number;
  /** Share of the document's pixels blown to white (glare). */
  glare: number;
  /** Variance of the Laplacian on the straightened document at a fixed size: higher is sharper. */
  sharpness: number;
  /** A corner within 1 % of the picture's edge: part of the card may be cut off. */
  touchesEdge: boolean;
  /** No edge was found and the whole picture was taken as the document (a flat scan). */
  wholeImage: boolean;
};

/** The longest side the search works at: corners to within a pixel or two of a 1080p frame. */
const WORK_PX = 640;
/** The straightened size on which glare and sharpness are measured, whatever the camera. */
const PROBE = { width: 480, height: 300 } as const;
/**
 * Smaller than this and it is not worth outlining. An ID-1 card 40 cm from the camera fills
 * ~2.4 %: outlined, guidance can ask for it closer instead of asking for a card.
 */
const MIN_FILL = 0.012;

const distance = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);

/** Corners in reading order, whatever order the contour gave them in. */
export function orderCorners(points: readonly Point[]): Quad {
  const bySum = [...points].sort((a, b) => a.x + a.y - (b.x + b.y));
  const byDiff = [...points].sort((a, b) => a.y - a.x - (b.y - b.x));
  return [bySum[0]!, byDiff[0]!, bySum[3]!, byDiff[3]!];
}

export function quadArea(q: Quad): number {
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += q[i]!.x * q[(i + 1) % 4]!.y - q[(i + 1) % 4]!.x * q[i]!.y;
  return Math.abs(sum) / 2;
}

/** Long side over short side, from the mean of opposite sides. */
export function quadAspect(q: Quad): number {
  const horizontal = (distance(q[0], q[1]) + distance(q[3], q[2])) / 2;
  const vertical = (distance(q[0], q[3]) + distance(q[1], q[2])) / 2;
  return Math.max(horizontal, vertical) / Math.max(1, Math.min(horizontal, vertical));
}

function quadTilt(q: Quad): number {
  const ratio = (a: number, b: number) => Math.abs(a - b) / Math.max(a, b, 1);
  return Math.max(ratio(distance(q[0], q[1]), distance(q[3], q[2])), ratio(distance(q[0], q[3]), distance(q[1], q[2])));
}

const MIN_ASPECT = Math.min(...DOCUMENT_SHAPES.map((s) => s.aspect)) * 0.82;
const MAX_ASPECT = Math.max(...DOCUMENT_SHAPES.map((s) => s.aspect)) * 1.15;

/** The four corners of a contour, loosening the polygon fit until it has four (rounded card corners). */
function fourCorners(cv: Cv, hull: InstanceType<Cv['Mat']>): Point[] | null {
  const perimeter = cv.arcLength(hull, true);
  for (const tolerance of [0.02, 0.03, 0.045, 0.06, 0.08]) {
    const approx = new cv.Mat();
    try {
      cv.approxPolyDP(hull, approx, tolerance * perimeter, true);
      if (Number(approx.rows) === 4) return Array.from({ length: 4 }, (_, i) => ({ x: approx.data32S[2 * i]!, y: approx.data32S[2 * i + 1]! }));
      if (Number(approx.rows) < 4) return null;
    } finally {
      approx.delete();
    }
  }
  return null;
}

/** Where two lines, each a point and a direction, cross. */
function intersect(a: Line, b: Line): Point | null {
  const det = a.dx * b.dy - a.dy * b.dx;
  if (Math.abs(det) < 1e-9) return null;
  const t = ((b.x - a.x) * b.dy - (b.y - a.y) * b.dx) / det;
  return { x: a.x + t * a.dx, y: a.y + t * a.dy };
}
type Line = { x: number; y: number; dx: number; dy: number };

/**
 * True corners from the card's straight sides: a line fitted (least squares, principal axis) to
 * the contour's points along the middle of each side, crossed with its neighbours. A card's
 * rounded corners would otherwise pull each corner a few pixels inwards.
 */
function refineCorners(contour: { data32S: Int32Array; rows: number }, quad: Quad): Quad {
  const points = Array.from({ length: contour.rows }, (_, i) => ({ x: contour.data32S[2 * i]!, y: contour.data32S[2 * i + 1]! }));
  const lines: Line[] = [];
  for (let side = 0; side < 4; side++) {
    const a = quad[side]!;
    const b = quad[(side + 1) % 4]!;
    const length = distance(a, b);
    const ux = (b.x - a.x) / length;
    const uy = (b.y - a.y) / length;
    const near = points.filter((p) => {
      const along = (p.x - a.x) * ux + (p.y - a.y) * uy;
      const across = Math.abs((p.x - a.x) * uy - (p.y - a.y) * ux);
      return along > 0.15 * length && along < 0.85 * length && across < 0.04 * length;
    });
    if (near.length < 2) return quad;
    const mx = near.reduce((s, p) => s + p.x, 0) / near.length;
    const my = near.reduce((s, p) => s + p.y, 0) / near.length;
    let sxx = 0;
    let sxy = 0;
    let syy = 0;
    for (const p of near) {
      sxx += (p.x - mx) ** 2;
      sxy += (p.x - mx) * (p.y - my);
      syy += (p.y - my) ** 2;
    }
    const angle = 0.5 * Math.atan2(2 * sxy, sxx - syy);
    lines.push({ x: mx, y: my, dx: Math.cos(angle), dy: Math.sin(angle) });
  }
  const corners = [3, 0, 1, 2].map((previous, i) => intersect(lines[previous]!, lines[i]!));
  // A refit that wanders far (a finger along a side) keeps the polygon's corners.
  if (corners.some((c, i) => !c || distance(c, quad[i]!) > 0.08 * distance(quad[0], quad[2]))) return quad;
  return corners as unknown as Quad;
}

function largestDocumentQuad(cv: Cv, grey: InstanceType<Cv['Mat']>): Quad | null {
  const edges = new cv.Mat();
  const contours = new cv.MatVector();
  const hierarchy = new cv.Mat();
  const kernel = cv.getStructuringElement(cv.MORPH_RECT, new cv.Size(3, 3));
  try {
    const blurred = new cv.Mat();
    cv.GaussianBlur(grey, blurred, new cv.Size(5, 5), 0);
    cv.Canny(blurred, edges, 30, 90);
    blurred.delete();
    // Closing joins an edge broken by a finger, glare or a light card on a light desk.
    cv.morphologyEx(edges, edges, cv.MORPH_CLOSE, kernel, new cv.Point(-1, -1), 2);
    cv.findContours(edges, contours, hierarchy, cv.RETR_LIST, cv.CHAIN_APPROX_NONE);
    const frameArea = grey.rows * grey.cols;
    let best: Quad | null = null;
    let bestArea = 0;
    for (let i = 0; i < Number(contours.size()); i++) {
      const contour = contours.get(i);
      const hull = new cv.Mat();
      try {
        cv.convexHull(contour, hull, false, true);
        const area = cv.contourArea(hull);
        if (area < MIN_FILL * frameArea || area <= bestArea) continue;
        const corners = fourCorners(cv, hull);
        if (!corners) continue;
        const quad = refineCorners(contour, orderCorners(corners));
        const aspect = quadAspect(quad);
        // A card or a page, not the desk's edge or a monitor: its shape, and a hull it mostly
        // fills (a thumb over an ID-1 card's side leaves the card 84 % of the hull).
        if (aspect < MIN_ASPECT || aspect > MAX_ASPECT || quadArea(quad) < 0.8 * area) continue;
        best = quad;
        bestArea = area;
      } finally {
        hull.delete();
        contour.delete();
      }
    }
    return best;
  } finally {
    edges.delete();
    contours.delete();
    hierarchy.delete();
    kernel.delete();
  }
}

/** The document straightened to `size` (the perspective taken out). */
export function warpQuad(cv: Cv, source: InstanceType<Cv['Mat']>, quad: Quad, size: { width: number; height: number }) {
  const from = cv.matFromArray(
    4,
    1,
    cv.CV_32FC2,
    quad.flatMap((p) => [p.x, p.y]),
  );
  const to = cv.matFromArray(4, 1, cv.CV_32FC2, [0, 0, size.width, 0, size.width, size.height, 0, size.height]);
  const transform = cv.getPerspectiveTransform(from, to);
  const out = new cv.Mat();
  cv.warpPerspective(source, out, transform, new cv.Size(size.width, size.height), cv.INTER_LINEAR, cv.BORDER_REPLICATE);
  from.delete();
  to.delete();
  transform.delete();
  return out;
}

function probeMeasures(cv: Cv, grey: InstanceType<Cv['Mat']>, quad: Quad) {
  const flat = warpQuad(cv, grey, quad, PROBE);
  const laplacian = new cv.Mat();
  const mean = new cv.Mat();
  const deviation = new cv.Mat();
  try {
    cv.Laplacian(flat, laplacian, cv.CV_64F);
    cv.meanStdDev(laplacian, mean, deviation);
    // Glare is light brighter than the card's own paper: on a scan or white page that is all
    // near 255, blown pixels tell nothing, so they count only where the paper itself is not.
    const values = flat.data;
    const histogram = new Uint32Array(256);
    for (let i = 0; i < values.length; i++) histogram[values[i]!]!++;
    let seen = 0;
    let median = 0;
    while (median < 255 && (seen += histogram[median]!) < values.length / 2) median++;
    let blown = 0;
    for (let v = 250; v < 256; v++) blown += histogram[v]!;
    return { sharpness: deviation.data64F[0]! ** 2, glare: median >= 235 ? 0 : blown / values.length };
  } finally {
    flat.delete();
    laplacian.delete();
    mean.delete();
    deviation.delete();
  }
}

/**
 * The document in `image`, or null. `wholeImage` (a scan or an imported file): when no edge is
 * found, a picture of a document's proportions is taken as the document itself.
 */
export function findDocument(cv: Cv, image: RgbaImage, options: { wholeImage?: boolean } = {}): DocumentSighting | null {
  const rgba = matFromRgba(cv, image);
  const grey = new cv.Mat();
  try {
    cv.cvtColor(rgba, grey, cv.COLOR_RGBA2GRAY);
    const scale = Math.min(1, WORK_PX / Math.max(image.width, image.height));
    if (scale < 1) cv.resize(grey, grey, new cv.Size(Math.round(image.width * scale), Math.round(image.height * scale)), 0, 0, cv.INTER_AREA);
    let small = largestDocumentQuad(cv, grey);
    let wholeImage = false;
    // A scan fills its picture: an outline found well inside it is the portrait's frame or a
    // printed box, not the card.
    if (small && options.wholeImage && quadArea(small) < 0.3 * grey.rows * grey.cols) small = null;
    if (!small && options.wholeImage) {
      const w = grey.cols - 1;
      const h = grey.rows - 1;
      const quad: Quad = [
        { x: 0, y: 0 },
        { x: w, y: 0 },
        { x: w, y: h },
        { x: 0, y: h },
      ];
      const aspect = quadAspect(quad);
      if (aspect >= MIN_ASPECT && aspect <= MAX_ASPECT) [small, wholeImage] = [quad, true];
    }
    if (!small) return null;
    const quad = small.map((p) => ({ x: p.x / scale, y: p.y / scale })) as unknown as Quad;
    const margin = 0.01 * Math.max(grey.cols, grey.rows);
    const touchesEdge = !wholeImage && small.some((p) => p.x < margin || p.y < margin || p.x > grey.cols - 1 - margin || p.y > grey.rows - 1 - margin);
    return {
      quad,
      fill: quadArea(small) / (grey.cols * grey.rows),
      tilt: quadTilt(small),
      touchesEdge,
      wholeImage,
      ...probeMeasures(cv, grey, small),
    };
  } finally {
    rgba.delete();
    grey.delete();
  }
}
