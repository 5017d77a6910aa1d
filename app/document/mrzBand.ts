/**
 * Where the machine-readable zone lies on a straightened document: the band of rows in its lower
 * part where dark strokes alternate with paper right across the page, as OCR-B's 30–44 evenly
 * spaced characters do and printed text, a photo or a signature do not. Reading only that band
 * keeps OCR fast and free of the text above it.
 */
export type GreyImage = { data: Uint8Array | Uint8ClampedArray; width: number; height: number; channels: 1 | 4 };

/** Searched part: every layout's zone sits in the lowest 45 % (TD1's three lines ~35 %). */
const SEARCH_SHARE = 0.45;

/** Rows (top, bottom) of the zone, padded by half a line; null when no such band is found. */
export function findMrzBand(image: GreyImage): { top: number; bottom: number } | null {
  const { width, height, channels } = image;
  const start = Math.floor(height * (1 - SEARCH_SHARE));
  const grey = (x: number, y: number) => image.data[(y * width + x) * channels]!;
  // Ink: darker than the row band's own paper (Otsu would be heavier; the mean works on OCR-B's contrast).
  let sum = 0;
  for (let y = start; y < height; y++) for (let x = 0; x < width; x += 4) sum += grey(x, y);
  const threshold = (0.7 * sum) / (((height - start) * width) / 4);
  const margin = Math.floor(width * 0.03);
  const SEGMENTS = 10;
  const isZoneRow = (y: number) => {
    // Where the row's strokes change, then: spread over most of the width, with no stretch of
    // blank paper (a gap between columns of printed text) anywhere along it.
    const changes: number[] = [];
    let ink = false;
    for (let x = margin; x < width - margin; x++) {
      const dark = grey(x, y) < threshold;
      if (dark !== ink) changes.push(x);
      ink = dark;
    }
    if (changes.length < 50) return false;
    const first = changes[0]!;
    const last = changes.at(-1)!;
    if (last - first < 0.6 * width) return false;
    const perSegment = new Array<number>(SEGMENTS).fill(0);
    for (const x of changes) perSegment[Math.min(SEGMENTS - 1, Math.floor(((x - first) / (last - first + 1)) * SEGMENTS))]!++;
    return perSegment.every((n) => n >= 3);
  };
  const rows: boolean[] = [];
  for (let y = start; y < height; y++) rows.push(isZoneRow(y));
  // The zone's rows, joined across the gaps between its lines.
  const gap = Math.ceil(height * 0.03);
  let top = -1;
  let bottom = -1;
  // The lowest band tall enough to be text: the zone is always the last thing printed on the page.
  const minRows = Math.max(4, height * 0.012);
  let best: { top: number; bottom: number; rows: number } | null = null;
  let count = 0;
  let lineStart = 0;
  let lineHeight = 0;
  for (let i = 0; i <= rows.length; i++) {
    if (i < rows.length && rows[i]) {
      // A gap up to 3 line cores high joins (a core: the rows through a line's characters that pass) the zone's lines; a wider one starts another block.
      if (top < 0 || i - bottom > Math.max(gap, 3 * lineHeight)) {
        if (top >= 0 && count >= minRows) best = { top, bottom, rows: count };
        top = i;
        count = 0;
        lineHeight = 0;
      }
      if (i - bottom > 1) lineStart = i;
      lineHeight = Math.max(lineHeight, i - lineStart + 1);
      bottom = i;
      count++;
    }
  }
  if (top >= 0 && count >= minRows) best = { top, bottom, rows: count };
  // Two or three lines of OCR-B are at most a fifth of any layout's height: a taller block is a
  // picture's texture, not a zone.
  if (!best || best.bottom - best.top > height * 0.2) return null;
  const pad = Math.ceil((best.bottom - best.top) * 0.3 + height * 0.01);
  return { top: Math.max(0, start + best.top - pad), bottom: Math.min(height, start + best.bottom + pad + 1) };
}
