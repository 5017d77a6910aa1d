/**
 * Where the machine-readable zone lies on a straightened document: the band of rows in its lower
 * part where dark strokes alternate with paper right across the page, as OCR-B's 30–44 evenly
 * spaced characters do and printed text, a photo or a signature do not. Reading only that band
 * keeps OCR fast and free of the text above it.
 */
export type GreyImage = { data: Uint8Array | Uint8ClampedArray; width: number; height: number; channels: 1 | 4 };

/** Searched part: every layout's zone sits in the lowest 45 % (TD1's three lines ~35 %). */
const SEARCH_SHARE = 0.45;
/** A row of the zone: its strokes change in each tenth of its width. */
const ZONE = 2;
/** A row that would be, but for one stretch of it (glare): strokes in 7 of its 10 tenths, side by side. */
const FADED = 1;
const FADED_SEGMENTS = 7;
/** Grey levels between paper and stroke below which a row's texture is the paper's grain, not print. */
const MIN_CONTRAST = 40;

/** Rows (top, bottom) of the zone, padded by half a line; null when no such band is found. */
export function findMrzBand(image: GreyImage): { top: number; bottom: number } | null {
  const { width, height, channels } = image;
  const start = Math.floor(height * (1 - SEARCH_SHARE));
  const grey = (x: number, y: number) => image.data[(y * width + x) * channels]!;
  const margin = Math.floor(width * 0.03);
  const SEGMENTS = 10;
  // Ink: darker than halfway between the paper and the strokes around it (a stretch of about
  // four characters either side), where they differ enough to be print. A threshold for the whole
  // page misses the strokes a patch of glare has faded: the zone's lines then break where the glare is.
  const block = Math.max(4, Math.ceil(width / 20));
  const blocks = Math.ceil(width / block);
  const low = new Uint8Array(blocks);
  const high = new Uint8Array(blocks);
  const isZoneRow = (y: number): number => {
    low.fill(255);
    high.fill(0);
    for (let x = 0; x < width; x++) {
      const b = Math.floor(x / block);
      const v = grey(x, y);
      if (v < low[b]!) low[b] = v;
      if (v > high[b]!) high[b] = v;
    }
    // Where the row's strokes change, then: spread over most of the width, with no stretch of
    // blank paper (a gap between columns of printed text) anywhere along it.
    const changes: number[] = [];
    let ink = false;
    for (let x = margin; x < width - margin; x++) {
      const b = Math.floor(x / block);
      const [a, c] = [Math.max(0, b - 1), Math.min(blocks - 1, b + 1)];
      const paper = Math.max(high[a]!, high[b]!, high[c]!);
      const stroke = Math.min(low[a]!, low[b]!, low[c]!);
      const dark = paper - stroke >= MIN_CONTRAST && grey(x, y) < (paper + stroke) / 2;
      if (dark !== ink) changes.push(x);
      ink = dark;
    }
    const first = changes[0] ?? 0;
    const last = changes.at(-1) ?? 0;
    if (changes.length < 35 || last - first < 0.6 * width) return 0;
    const perSegment = new Array<number>(SEGMENTS).fill(0);
    for (const x of changes) perSegment[Math.min(SEGMENTS - 1, Math.floor(((x - first) / (last - first + 1)) * SEGMENTS))]!++;
    const quiet = perSegment.map((n) => n < 3);
    if (changes.length >= 50 && !quiet.includes(true)) return ZONE;
    // Faded: quiet in one stretch only (columns of printed text, a photo beside them, leave several).
    const stretch = quiet.lastIndexOf(true) - quiet.indexOf(true) + 1;
    return stretch <= SEGMENTS - FADED_SEGMENTS && quiet.filter(Boolean).length === stretch ? FADED : 0;
  };
  const kinds: number[] = [];
  for (let y = start; y < height; y++) kinds.push(isZoneRow(y));
  const rows = kinds.map((kind) => kind === ZONE);
  // The zone's rows, joined across the gaps between its lines.
  const gap = Math.ceil(height * 0.03);
  let top = -1;
  let bottom = -1;
  // The lowest band tall enough to be text: the zone is always the last thing printed on the page.
  const minRows = Math.max(4, height * 0.012);
  let best: { top: number; bottom: number; rows: number; lineHeight: number } | null = null;
  let count = 0;
  let lineStart = 0;
  let lineHeight = 0;
  for (let i = 0; i <= rows.length; i++) {
    if (i < rows.length && rows[i]) {
      // A gap up to 3 line cores high joins (a core: the rows through a line's characters that pass) the zone's lines; a wider one starts another block.
      if (top < 0 || i - bottom > Math.max(gap, 3 * lineHeight)) {
        if (top >= 0 && count >= minRows) best = { top, bottom, rows: count, lineHeight };
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
  if (top >= 0 && count >= minRows) best = { top, bottom, rows: count, lineHeight };
  // A zone has two or three lines: where only one was found, a line above it that is like it but
  // for a stretch glare has faded is the zone's too.
  if (best && best.bottom - best.top + 1 < 2 * best.lineHeight) {
    const from = Math.max(0, best.top - Math.max(gap, 3 * best.lineHeight));
    const faded = kinds.slice(from, best.top).findIndex((kind) => kind > 0);
    if (faded >= 0) best.top = from + faded;
  }
  // Two or three lines of OCR-B are at most a fifth of any layout's height: a taller block is a
  // picture's texture, not a zone.
  if (!best || best.bottom - best.top > height * 0.2) return null;
  const pad = Math.ceil((best.bottom - best.top) * 0.3 + height * 0.01);
  return { top: Math.max(0, start + best.top - pad), bottom: Math.min(height, start + best.bottom + pad + 1) };
}
