/**
 * The machine-readable zone read character by character against OCR-B itself. The zone is printed
 * in one font at a fixed pitch (ICAO 9303 part 3), so each line is cut into equal cells and each
 * cell is compared with every character of OCR-B rendered from the font (normalised
 * cross-correlation, over small shifts). Tesseract's English model reads OCR-B's D as 0 and 8 as B
 * at a webcam's resolution; the font's own shapes do not confuse them, and every character comes
 * with how far ahead of the runner-up it was, which decides what a check digit may confirm.
 */

import type { CheckedPosition } from './mrz';

export type GreyImage = { data: Uint8Array | Uint8ClampedArray; width: number; height: number };

/** The zone's alphabet. */
export const MRZ_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<';

/**
 * Every glyph of MRZ_ALPHABET at one size, one after another: zero-mean, unit-length vectors of
 * TEMPLATE_W × TEMPLATE_H. `advance`: the font's character advance over its height, which tells a
 * zone's layout from its lines' proportions.
 */
export type GlyphSet = { bank: Float32Array; advance: number };
export const TEMPLATE_W = 24;
export const TEMPLATE_H = 32;
const SIZE = TEMPLATE_W * TEMPLATE_H;

/**
 * The same glyphs as a camera slightly out of focus prints them: each template blurred by a
 * gaussian of `sigma` template pixels, then made zero-mean and unit length again. Compared with
 * crisp templates, a soft zone's O reads as D and E as F; against its own blur it does not.
 */
export function blurredGlyphs(glyphs: GlyphSet, sigma: number): GlyphSet {
  const radius = Math.ceil(sigma * 3);
  const kernel = Array.from({ length: 2 * radius + 1 }, (_, k) => Math.exp(-((k - radius) ** 2) / (2 * sigma * sigma)));
  const total = kernel.reduce((a, b) => a + b, 0);
  const weights = kernel.map((w) => w / total);
  const bank = new Float32Array(glyphs.bank.length);
  const pass = new Float32Array(SIZE);
  // Separable: along rows, then along columns, the template's edge repeated past its border.
  for (let base = 0; base < bank.length; base += SIZE) {
    for (let j = 0; j < TEMPLATE_H; j++)
      for (let i = 0; i < TEMPLATE_W; i++) {
        let v = 0;
        for (let k = -radius; k <= radius; k++) v += weights[k + radius]! * glyphs.bank[base + j * TEMPLATE_W + Math.min(TEMPLATE_W - 1, Math.max(0, i + k))]!;
        pass[j * TEMPLATE_W + i] = v;
      }
    for (let j = 0; j < TEMPLATE_H; j++)
      for (let i = 0; i < TEMPLATE_W; i++) {
        let v = 0;
        for (let k = -radius; k <= radius; k++) v += weights[k + radius]! * pass[Math.min(TEMPLATE_H - 1, Math.max(0, j + k)) * TEMPLATE_W + i]!;
        bank[base + j * TEMPLATE_W + i] = v;
      }
    const cell = bank.subarray(base, base + SIZE);
    const mean = cell.reduce((a, b) => a + b, 0) / SIZE;
    let norm = 0;
    for (let k = 0; k < SIZE; k++) norm += (cell[k]! -= mean) ** 2;
    const scale = 1 / Math.sqrt(Math.max(norm, 1e-12));
    for (let k = 0; k < SIZE; k++) cell[k]! *= scale;
  }
  return { bank, advance: glyphs.advance };
}

/** A position's reading: its best character, by how much it led the runner-up, and every character's correlation. */
export type GlyphCell = { char: string; score: number; runnerUp: string; margin: number; scores: Float32Array };
export type GlyphReading = { lines: string[]; cells: GlyphCell[][] };

/** Line count and length of each layout; visas share TD3's and TD2's. */
const LAYOUTS = [
  { lines: 3, length: 30 },
  { lines: 2, length: 36 },
  { lines: 2, length: 44 },
] as const;

/** Ink (255 − grey) resampled bilinearly on a `width` × `height` grid from (x0, y0), `sx` × `sy` source pixels a step. */
function resampled(image: GreyImage, x0: number, y0: number, sx: number, sy: number, width: number, height: number, invert = true): Float32Array {
  const out = new Float32Array(width * height);
  const at = (x: number, y: number) => {
    const cx = Math.min(image.width - 1, Math.max(0, x));
    const cy = Math.min(image.height - 1, Math.max(0, y));
    return image.data[cy * image.width + cx]!;
  };
  for (let j = 0; j < height; j++) {
    const fy = y0 + (j + 0.5) * sy - 0.5;
    const iy = Math.floor(fy);
    const wy = fy - iy;
    for (let i = 0; i < width; i++) {
      const fx = x0 + (i + 0.5) * sx - 0.5;
      const ix = Math.floor(fx);
      const wx = fx - ix;
      const v = (at(ix, iy) * (1 - wx) + at(ix + 1, iy) * wx) * (1 - wy) + (at(ix, iy + 1) * (1 - wx) + at(ix + 1, iy + 1) * wx) * wy;
      out[j * width + i] = invert ? 255 - v : v;
    }
  }
  return out;
}

/** A cell's pixels at the template size, zero-mean and unit length (null: blank). `invert`: dark ink on light paper. */
export function normalisedCell(image: GreyImage, x0: number, y0: number, x1: number, y1: number, invert: boolean): Float32Array | null {
  const out = resampled(image, x0, y0, (x1 - x0) / TEMPLATE_W, (y1 - y0) / TEMPLATE_H, TEMPLATE_W, TEMPLATE_H, invert);
  const mean = out.reduce((a, b) => a + b, 0) / out.length;
  let norm = 0;
  for (let k = 0; k < out.length; k++) {
    out[k]! -= mean;
    norm += out[k]! * out[k]!;
  }
  if (norm < 1e-6) return null;
  const scale = 1 / Math.sqrt(norm);
  for (let k = 0; k < out.length; k++) out[k]! *= scale;
  return out;
}

/**
 * Ink is darker than halfway from the darkest strokes to the paper: the 2nd and 70th percentiles,
 * so a bright patch of glare or a white margin (a third mode Otsu would split on) moves neither.
 */
function inkThreshold(image: GreyImage): number {
  const histogram = new Array<number>(256).fill(0);
  for (const v of image.data) histogram[v]!++;
  const percentile = (share: number) => {
    let seen = 0;
    for (let v = 0; v < 256; v++) if ((seen += histogram[v]!) >= share * image.data.length) return v;
    return 255;
  };
  return (percentile(0.02) + percentile(0.7)) / 2;
}

type Span = { start: number; end: number };

/** Runs where `value(i)` is true, joined across gaps of up to `join`. */
function runs(length: number, value: (i: number) => boolean, join: number): Span[] {
  const out: Span[] = [];
  for (let i = 0; i < length; i++) {
    if (!value(i)) continue;
    const last = out.at(-1);
    if (last && i - last.end <= join) last.end = i + 1;
    else out.push({ start: i, end: i + 1 });
  }
  return out;
}

/** The text lines of the band: row runs of ink, the tallest few of similar height, top to bottom. */
function textLines(ink: (x: number, y: number) => boolean, image: GreyImage): Span[] {
  const perRow = Array.from({ length: image.height }, (_, y) => {
    let n = 0;
    for (let x = 0; x < image.width; x++) if (ink(x, y)) n++;
    return n;
  });
  const busiest = Math.max(...perRow);
  const rows = runs(image.height, (y) => perRow[y]! > busiest * 0.15, 1);
  const tallest = Math.max(0, ...rows.map((r) => r.end - r.start));
  // Each line out to its characters' last rows of ink, as the templates are cut.
  const faint = (y: number) => y >= 0 && y < image.height && perRow[y]! > busiest * 0.05;
  return rows
    .filter((r) => r.end - r.start >= tallest * 0.6)
    .map((r) => {
      let { start, end } = r;
      while (faint(start - 1) && r.start - start < tallest * 0.3) start--;
      while (faint(end) && end - r.end < tallest * 0.3) end++;
      return { start, end };
    });
}

/**
 * Where a line's cells are: the pitch and phase whose cell boundaries fall on the least ink
 * (the gaps between characters), for `count` cells across the line's inked stretch.
 */
function cellBoundaries(columnInk: number[], start: number, end: number, count: number): number[] {
  const span = end - start;
  const guess = span / (count - 0.25);
  let best = { cost: Infinity, pitch: guess, origin: start };
  for (let pitch = guess * 0.96; pitch <= guess * 1.04; pitch += guess * 0.002) {
    for (let lead = 0; lead <= 0.5; lead += 0.05) {
      const origin = start - lead * pitch;
      let cost = 0;
      for (let k = 0; k <= count; k++) cost += columnInk[Math.round(origin + k * pitch)] ?? 0;
      // Cells must cover the inked stretch: a comb that leaves ink outside is wrong.
      if (origin + count * pitch < end - pitch * 0.3) continue;
      if (cost < best.cost) best = { cost, pitch, origin };
    }
  }
  return Array.from({ length: count + 1 }, (_, k) => best.origin + k * best.pitch);
}

/**
 * Each cell's top and bottom: a straightened card is rarely quite level, so a line's characters
 * climb or fall along it. The ink's top and bottom are measured in every full-height cell (not
 * `<`, which is lower) and a straight line is fitted through each, along the line.
 */
function cellRows(ink: (x: number, y: number) => boolean, height: number, edges: number[], line: Span) {
  const reach = Math.round((line.end - line.start) * 0.35);
  const from = Math.max(0, line.start - reach);
  const to = Math.min(height, line.end + reach);
  const measured = edges.slice(0, -1).map((x0, k) => {
    const [left, right] = [Math.round(x0), Math.round(edges[k + 1]!)];
    const inked = (y: number) => {
      let n = 0;
      for (let x = left; x < right; x++) if (ink(x, y)) n++;
      return n >= Math.max(1, (right - left) * 0.1);
    };
    let top = line.start;
    let bottom = line.end;
    while (top > from && inked(top - 1)) top--;
    while (top < bottom && !inked(top)) top++;
    while (bottom < to && inked(bottom)) bottom++;
    while (bottom > top && !inked(bottom - 1)) bottom--;
    return { k, top, bottom };
  });
  const heights = measured.map((m) => m.bottom - m.top).sort((a, b) => a - b);
  const typical = heights[Math.floor(heights.length * 0.75)]!;
  const full = measured.filter((m) => m.bottom - m.top >= typical * 0.85 && m.bottom - m.top <= typical * 1.15);
  const fit = (value: (m: (typeof measured)[number]) => number) => {
    const n = full.length;
    if (n < 2) return () => value({ k: 0, top: line.start, bottom: line.end });
    const mk = full.reduce((a, m) => a + m.k, 0) / n;
    const mv = full.reduce((a, m) => a + value(m), 0) / n;
    const sxx = full.reduce((a, m) => a + (m.k - mk) ** 2, 0);
    const slope = sxx > 0 ? full.reduce((a, m) => a + (m.k - mk) * (value(m) - mv), 0) / sxx : 0;
    return (k: number) => mv + slope * (k - mk);
  };
  const top = fit((m) => m.top);
  const bottom = fit((m) => m.bottom);
  return (k: number) => ({ top: top(k), bottom: bottom(k) });
}

/** Shifts tried, in template pixels: a cell cut by the comb is off by up to a fifth of a character. */
const SHIFT_X = 4;
const SHIFT_Y = 1;

/**
 * Each candidate glyph's correlation with a cell, best over small shifts (−1 for the others): the
 * cell is resampled once with a margin at the templates' scale, and every window of template size
 * inside it is compared. Only the characters the position may hold are candidates: a date's
 * digits are compared with 10 glyphs, not 37.
 */
function correlations(image: GreyImage, glyphs: GlyphSet, candidates: readonly number[], x0: number, x1: number, y0: number, y1: number): Float32Array {
  const sx = (x1 - x0) / TEMPLATE_W;
  const sy = (y1 - y0) / TEMPLATE_H;
  const W = TEMPLATE_W + 2 * SHIFT_X;
  const H = TEMPLATE_H + 2 * SHIFT_Y;
  const around = resampled(image, x0 - SHIFT_X * sx, y0 - SHIFT_Y * sy, sx, sy, W, H);
  const scores = new Float32Array(MRZ_ALPHABET.length).fill(-1);
  const window = new Float32Array(SIZE);
  const { bank } = glyphs;
  for (let oy = 0; oy <= 2 * SHIFT_Y; oy++) {
    for (let ox = 0; ox <= 2 * SHIFT_X; ox++) {
      let sum = 0;
      for (let j = 0; j < TEMPLATE_H; j++) for (let i = 0; i < TEMPLATE_W; i++) sum += window[j * TEMPLATE_W + i] = around[(j + oy) * W + i + ox]!;
      const mean = sum / window.length;
      let norm = 0;
      for (let k = 0; k < window.length; k++) norm += (window[k]! - mean) ** 2;
      if (norm < 1e-6) continue;
      const scale = 1 / Math.sqrt(norm);
      // Templates are zero-mean: the window's mean drops out of the dot product.
      for (const c of candidates) {
        const base = c * SIZE;
        // Four sums side by side: one sum waits on each addition before the next (SIZE is a multiple of 4).
        let d0 = 0,
          d1 = 0,
          d2 = 0,
          d3 = 0;
        for (let k = 0; k < SIZE; k += 4) {
          d0 += bank[base + k]! * window[k]!;
          d1 += bank[base + k + 1]! * window[k + 1]!;
          d2 += bank[base + k + 2]! * window[k + 2]!;
          d3 += bank[base + k + 3]! * window[k + 3]!;
        }
        const dot = d0 + d1 + d2 + d3;
        if (dot * scale > scores[c]!) scores[c] = dot * scale;
      }
    }
  }
  return scores;
}

const DIGITS = '0123456789';
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ<';
/** What each position of a layout may hold (ICAO 9303 part 4–6): a date only digits, a name only letters. */
type Kind = 'letters' | 'digits' | 'check' | 'any';
const KINDS: Record<number, (line: number, column: number, visa: boolean) => Kind> = {
  // TD1: code, state, number, its digit, optional | birth, digit, sex, expiry, digit, nationality, optional, composite | names.
  30: (line, c) =>
    line === 0
      ? c < 5
        ? 'letters'
        : c === 14
          ? 'check'
          : 'any'
      : line === 1
        ? c < 6 || (c >= 8 && c < 14)
          ? 'digits'
          : c === 6 || c === 14 || c === 29
            ? 'check'
            : c === 7 || (c >= 15 && c < 18)
              ? 'letters'
              : 'any'
        : 'letters',
  // TD2, TD3 and visas: code, state, names | number, digit, nationality, birth, digit, sex, expiry, digit, optional, (digits).
  36: (line, c, visa) => (line === 0 ? 'letters' : secondLine(c, 35, visa)),
  44: (line, c, visa) => (line === 0 ? 'letters' : secondLine(c, 42, visa)),
};
function secondLine(c: number, lastDigits: number, visa: boolean): Kind {
  if (c < 9) return 'any';
  if (c === 9 || c === 19 || c === 27 || (!visa && c >= lastDigits)) return 'check';
  if (c < 13 || c === 20) return 'letters';
  if (c < 27) return 'digits';
  return 'any';
}
const ALLOWED: Record<Kind, string> = { letters: LETTERS, digits: DIGITS, check: `${DIGITS}<`, any: MRZ_ALPHABET };
/** The glyphs' places in MRZ_ALPHABET that each kind of position may hold. */
const CANDIDATES = Object.fromEntries(Object.entries(ALLOWED).map(([kind, chars]) => [kind, [...chars].map((ch) => MRZ_ALPHABET.indexOf(ch))])) as Record<
  Kind,
  number[]
>;

/** The best character a position may hold, and its lead over the runner-up among those. */
function pick(scores: Float32Array, kind: Kind): GlyphCell {
  const allowed = [...CANDIDATES[kind]].sort((a, b) => scores[b]! - scores[a]!);
  const [first, second] = [allowed[0]!, allowed[1]!];
  return { char: MRZ_ALPHABET[first]!, score: scores[first]!, runnerUp: MRZ_ALPHABET[second]!, margin: scores[first]! - scores[second]!, scores };
}

/**
 * The zone read from a greyscale picture of its band (dark ink on light paper), for each layout
 * whose line count the band shows; null when the band shows neither two nor three lines.
 */
export function readGlyphs(band: GreyImage, glyphs: GlyphSet): GlyphReading | null {
  const threshold = inkThreshold(band);
  const ink = (x: number, y: number) => band.data[y * band.width + x]! < threshold;
  const measured = textLines(ink, band).map((line) => {
    const columnInk = Array.from({ length: band.width }, (_, x) => {
      let n = 0;
      for (let y = line.start; y < line.end; y++) if (ink(x, y)) n++;
      return n;
    });
    // The line's stretch: the longest run of inked columns, joined across gaps narrower than a character.
    const stretch = runs(band.width, (x) => columnInk[x]! > 0, line.end - line.start).reduce((a, b) => (b.end - b.start > a.end - a.start ? b : a));
    return { line, columnInk, stretch };
  });
  // A zone's lines are equally long and start at the same place: the lines share the widest
  // stretch among them, so a line glare has faded at one end is still cut at the zone's pitch.
  const zoneLines = (count: number) => {
    const lines = measured.slice(-count);
    const stretch = { start: Math.min(...lines.map((m) => m.stretch.start)), end: Math.max(...lines.map((m) => m.stretch.end)) };
    return lines.map((m) => ({ ...m, stretch }));
  };
  /** Line `index` of a zone of lines `length` long: each cell's scores and the kind of character its position holds. */
  const readLine = ({ line, columnInk, stretch }: (typeof measured)[number], length: number, index: number, visa: boolean) => {
    const edges = cellBoundaries(columnInk, stretch.start, stretch.end, length);
    const rows = cellRows(ink, band.height, edges, line);
    return edges.slice(0, -1).map((x0, k) => {
      const kind = KINDS[length]!(index, k, visa);
      return { kind, scores: correlations(band, glyphs, CANDIDATES[kind], x0, edges[k + 1]!, rows(k).top, rows(k).bottom) };
    });
  };
  // Which layout: the one whose first line, cut into its number of cells, looks most like OCR-B
  // (TD2's 36 and TD3's 44 characters both come in two lines). The zone is the last thing printed:
  // its lines are the lowest.
  const firstLines = LAYOUTS.filter((layout) => measured.length >= layout.lines).map((layout) => {
    const zone = zoneLines(layout.lines);
    const first = readLine(zone[0]!, layout.length, 0, false);
    return { layout, zone, first, fit: first.reduce((a, cell) => a + Math.max(...cell.scores), 0) / first.length };
  });
  const best = firstLines.sort((a, b) => b.fit - a.fit)[0];
  if (!best) return null;
  const { layout, zone, first } = best;
  // A visa's first character is V: its last positions are optional data, not check digits.
  const visa = pick(first[0]!.scores, 'letters').char === 'V';
  const read = [first, ...zone.slice(1).map((m, l) => readLine(m, layout.length, l + 1, visa))];
  const cells = read.map((line) => line.map(({ kind, scores }) => pick(scores, kind)));
  return { lines: cells.map((line) => line.map((c) => c.char).join('')), cells };
}

/** ICAO 9303's value of a character in a check digit: 0–9, A = 10 … Z = 35, < = 0. */
const checkValue = (char: string) => (char === '<' ? 0 : char <= '9' ? Number(char) : char.charCodeAt(0) - 55);

/**
 * How far a reading must lead every look-alike the check digit cannot tell from it (correlation
 * units; a correct character leads the runner-up by 0.22 at the median on the camera views).
 */
export const DECISIVE = 0.02;

/**
 * The characters of the number the reading is not sure of where its check digit cannot police
 * them (a zone that stands has none). The document number mixes letters and digits, and a character
 * swapped for one whose value differs by a multiple of ten (0 and U, 3 and D, 8 and S, 5 and Z…)
 * leaves its check digit holding: on the ICAO specimen a flat scan's 0 once led U by only 0.01,
 * and the zone was "valid" with a wrong number. Dates hold only digits, where every single
 * change breaks the digit. `lines`: the zone as parsed, where a check digit may have corrected
 * one confusion (mrz.ts); that character is judged by its own score.
 */
export function doubtful(reading: GlyphReading, positions: readonly CheckedPosition[], lines: readonly string[] = reading.lines): CheckedPosition[] {
  return positions
    .filter((p) => p.field === 'documentNumber')
    .filter(({ line, column }) => {
      const cell = reading.cells[line]?.[column];
      const read = lines[line]?.[column];
      if (!cell || !read) return true;
      const value = checkValue(read) % 10;
      let rival = -1;
      for (const [i, char] of [...MRZ_ALPHABET].entries()) if (char !== read && checkValue(char) % 10 === value) rival = Math.max(rival, cell.scores[i]!);
      return cell.scores[MRZ_ALPHABET.indexOf(read)]! - rival < DECISIVE;
    });
}

/**
 * Whether another reader's zone saw exactly our zone's characters at its doubtful positions
 * (at most two): a second vote where the glyphs alone barely lead a look-alike (the ICAO TD2
 * specimen's last 0 led U by ~0.02 in 1080p camera views). Tesseract errs differently (it
 * confuses D and 0, 8 and B; not 0 and U), so the two seldom agree on the same wrong character.
 */
export function corroborates(theirs: readonly string[], ours: readonly string[], unsure: readonly CheckedPosition[]): boolean {
  return (
    unsure.length <= 2 &&
    theirs.length === ours.length &&
    unsure.every(({ line, column }) => theirs[line]?.length === ours[line]!.length && theirs[line]![column] === ours[line]![column])
  );
}

/**
 * Whether another reader's zone agrees with this reading wherever a check digit decides: each of
 * its characters there is this reading's first or second choice. Two readers that err differently
 * seldom agree on the same wrong number.
 */
export function agrees(lines: readonly string[], reading: GlyphReading, positions: readonly CheckedPosition[]): boolean {
  return positions.every(({ line, column }) => {
    const cell = reading.cells[line]?.[column];
    const char = lines[line]?.[column];
    return !!cell && (char === cell.char || char === cell.runnerUp);
  });
}
