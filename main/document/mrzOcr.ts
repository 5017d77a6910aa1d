/**
 * OCR of the machine-readable zone, offline, by two readers that err differently:
 * - first, each character compared with OCR-B itself (app/document/mrzGlyphs.ts, the font
 *   rendered by ocrbGlyphs.ts), crisp, then blurred as a soft camera prints it. Its zone stands when every check digit holds and it is sure of
 *   every character of the number a check digit cannot police (`doubtful` finds none), or is
 *   unsure of one or two that Tesseract read the same (`corroborates`);
 * - otherwise tesseract.js (Apache-2.0) with the English traineddata shipped by
 *   @tesseract.js-data/eng (Apache-2.0), legacy engine, held to the zone's 37 characters (the LSTM
 *   engine reads OCR-B's filler `<` as K and L). Its zone stands only where the glyph reader saw
 *   the same characters (`agrees`): alone, it misreads OCR-B at a webcam's resolution in ways
 *   check digits can miss.
 * A zone no reader vouches for, or one seen too small to trust (`MIN_PITCH_PX`), is returned as
 * read, its check digits confirming nothing. One Tesseract worker, started on first use and
 * kept: its start costs ~0.8 s.
 */
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { createWorker, OEM, PSM, type Worker } from 'tesseract.js';
import { checkedPositions, mrzPitchPx, readMrz, type CheckedPosition, type MrzReading } from '../../app/document/mrz';
import { agrees, blurredGlyphs, corroborates, doubtful, readGlyphs, type GlyphReading, type GlyphSet } from '../../app/document/mrzGlyphs';
import { loadOcrbGlyphs } from './ocrbGlyphs';
import type { RgbaImage } from '../../app/document/findDocument';
import { findMrzBand } from '../../app/document/mrzBand';
import { nodeRequire } from './nodeRequire';

const LANG_PATH = join(dirname(nodeRequire.resolve('@tesseract.js-data/eng/package.json')), '4.0.0');
/** The zone is in the bottom part of every layout: TD1's three lines take the lowest ~35 %. */
const ZONE_SHARE = 0.42;
/** The zone is read at this width: OCR-B characters ~28 px high on a passport page. */
const READ_WIDTH = 1600;
/**
 * Below this many camera pixels from one character to the next, no reading is vouched for. In
 * bench:documents' camera views (2026-12-04, in-sample) the only zone confirmed at 5.8 px (720p,
 * 40 cm) was wrong (D23145890 read D2114589C, two errors that cancel in the check digit), and
 * every zone confirmed from 7.7 px up was right. Guidance's closest-card rule gives ~24 px.
 */
const MIN_PITCH_PX = 7;
/**
 * The soft glyphs' blur, in template pixels (a template is 24 px wide): in bench:documents' 1080p
 * view at 30 cm blurred by 1.5 camera pixels, the zone stood against a blur of 3 and not against
 * 0, 1, 1.5, 2 or 4 (2026-12-04, in-sample: chosen on that one view; checked on other views in
 * docs/accuracy.md).
 */
const SOFT_GLYPH_SIGMA = 3;

/** OCR-B's glyphs crisp, then as a soft camera sees them. */
const loadGlyphSets = () => loadOcrbGlyphs().then((crisp) => [crisp, blurredGlyphs(crisp, SOFT_GLYPH_SIGMA)]);

export type MrzOcr = {
  read(document: RgbaImage, today?: Date): Promise<MrzReading | null>;
  /** Loads the glyphs and starts Tesseract ahead of the first read (each costs ~0.6–0.8 s cold). */
  prepare(): void;
  close(): Promise<void>;
};

/** A zone no reader vouches for is kept only as read: its check digits confirm nothing. */
const unvouched = <R extends MrzReading | null>(reading: R): R => (reading?.valid ? { ...reading, valid: false, confirmed: [] } : reading);

export function createMrzOcr(): MrzOcr {
  let worker: Promise<Worker> | null = null;
  let glyphs: Promise<GlyphSet[]> | null = null;
  const ready = () =>
    (worker ??= createWorker('eng', OEM.TESSERACT_ONLY, { langPath: LANG_PATH, cacheMethod: 'none', gzip: true, legacyCore: true, legacyLang: true }).then(
      async (w) => {
        await w.setParameters({
          tessedit_char_whitelist: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<',
          tessedit_pageseg_mode: PSM.SINGLE_BLOCK,
          user_defined_dpi: '300',
        });
        return w;
      },
    ));
  type Band = { top: number; bottom: number };
  /** The zone's band, grey, at the reading width: one channel, zeroed by the caller. */
  type Grey = { data: Buffer; width: number; height: number };
  async function bandGrey(pixels: Uint8Array | Uint8ClampedArray, document: RgbaImage, band: Band): Promise<Grey> {
    const { data, info } = await sharp(Buffer.from(pixels.buffer, pixels.byteOffset, pixels.length), {
      raw: { width: document.width, height: document.height, channels: 4 },
    })
      // 2.5 % in from each side: a card's edge or printed border would read as a stray character.
      .extract({ left: Math.round(document.width * 0.025), top: band.top, width: Math.round(document.width * 0.95), height: band.bottom - band.top })
      .greyscale()
      .resize({ width: READ_WIDTH, kernel: 'lanczos3' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  }
  /** One way of preparing the zone for OCR: plain, or sharpened and thresholded for a soft camera picture. */
  type Look = 'plain' | 'crisp';
  /**
   * The band's contrast stretched, and sharpened for `crisp`. On the resized band alone: in one
   * pipeline with the resize, normalise's two percentiles ran the cut and the resize twice more
   * (a 1080p card's band: 58 ms in one pipeline, 34 in two, the same pixels; 2026-12-05).
   */
  function looked(grey: Grey, look: Look) {
    const image = sharp(grey.data, { raw: { width: grey.width, height: grey.height, channels: 1 } })
      .greyscale()
      .normalise();
    return look === 'crisp' ? image.sharpen({ sigma: 1.5 }).median(3) : image;
  }
  async function ocr(grey: Grey, look: Look): Promise<string> {
    const png = await looked(grey, look).png({ compressionLevel: 1 }).toBuffer();
    const { data } = await (await ready()).recognize(png);
    png.fill(0);
    return data.text;
  }
  /** The zone read against each set of OCR-B's glyphs in turn (app/document/mrzGlyphs.ts); the pixels read are zeroed when the caller stops. */
  async function* glyphReadings(grey: Grey) {
    const { data, info } = await looked(grey, 'plain').raw().toBuffer({ resolveWithObject: true });
    try {
      for (const set of await (glyphs ??= loadGlyphSets())) yield readGlyphs({ data, width: info.width, height: info.height }, set);
    } finally {
      data.fill(0);
    }
  }
  /**
   * The zone read from the band that looks like it, then from the lower part around it, each
   * plainly and crisply, until one reading has every check digit holding. A reading that never does is
   * returned as the one with the most confirmed fields, and says so (`valid: false`).
   */
  async function readSide(document: RgbaImage, turned: boolean, today: Date | undefined): Promise<MrzReading | null> {
    const raw = { width: document.width, height: document.height, channels: 4 } as const;
    const pixels = turned
      ? new Uint8Array(
          await sharp(Buffer.from(document.data.buffer, document.data.byteOffset, document.data.length), { raw })
            .rotate(180)
            .raw()
            .toBuffer(),
        )
      : document.data;
    // Each band is cut and resized once, whichever readers and looks read it.
    const greys = new Map<Band, Promise<Grey>>();
    const grey = (band: Band) => greys.get(band) ?? greys.set(band, bandGrey(pixels, document, band)).get(band)!;
    try {
      // No band that looks like a zone: nothing worth the OCR's time (a driving licence's front).
      // A band that reads short of a valid zone is read again with the whole lower part around it.
      const found = findMrzBand({ ...raw, data: pixels });
      if (!found) return null;
      // Against crisp glyphs first; a zone that does not stand is read again against the glyphs
      // as a camera out of focus prints them (a soft zone's 0 reads as O, E as F against crisp ones).
      let glyph: GlyphReading | null = null;
      let byGlyph: MrzReading | null = null;
      let unsure: CheckedPosition[] | null = null;
      for await (const read of glyphReadings(await grey(found))) {
        // One OCR-B confusion (a blurred 0 read as O) is corrected where its check digit confirms it (mrz.ts).
        const parsed = read && readMrz(read.lines.join('\n'), today);
        // Positions of the number where the glyphs barely lead a look-alike: none, and the zone stands.
        const doubts = read && parsed?.valid ? doubtful(read, checkedPositions(parsed.lines), parsed.lines) : null;
        if (doubts?.length === 0) return parsed;
        if (!glyph || (parsed?.valid && !byGlyph?.valid)) [glyph, byGlyph, unsure] = [read, parsed, doubts];
      }
      const lowerPart = { top: Math.min(found.top, Math.floor(document.height * (1 - ZONE_SHARE))), bottom: document.height };
      const bands: Band[] = turned ? [found] : [found, lowerPart];
      let best = unvouched(byGlyph);
      for (const band of bands) {
        for (const look of ['plain', 'crisp'] as const) {
          const reading = readMrz(await ocr(await grey(band), look), today);
          // The glyph zone, doubtful at a character or two that Tesseract read the same.
          if (byGlyph && unsure && reading && corroborates(reading.lines, byGlyph.lines, unsure)) return byGlyph;
          // Tesseract's zone stands only where the glyph reader saw the same characters (its first
          // or second choice) wherever a check digit decides: alone, it read the ICAO TD2
          // specimen's D23145890 as 023145B90 with every digit holding.
          if (reading?.valid && glyph && agrees(reading.lines, glyph, checkedPositions(reading.lines))) return reading;
          const asRead = unvouched(reading);
          if (asRead && (!best || asRead.confirmed.length > best.confirmed.length)) best = asRead;
        }
      }
      return best;
    } finally {
      for (const cut of await Promise.allSettled(greys.values())) if (cut.status === 'fulfilled') cut.value.data.fill(0);
      if (turned) pixels.fill(0);
    }
  }
  return {
    prepare() {
      // Called on every guidance frame: once started, each is kept, a failed start too, which the
      // read that needs it reports (never a restart every frame).
      (glyphs ??= loadGlyphSets()).catch(() => undefined);
      ready().catch(() => undefined);
    },
    async read(document, today) {
      // A card shown upside down: its zone is then at the top, read after a half turn.
      const reading = (await readSide(document, false, today)) ?? (await readSide(document, true, today));
      return reading && mrzPitchPx(reading.format, document.width) < MIN_PITCH_PX ? unvouched(reading) : reading;
    },
    async close() {
      if (worker) await (await worker).terminate();
      worker = null;
    },
  };
}
