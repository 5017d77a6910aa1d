/**
 * OCR of the machine-readable zone, offline: tesseract.js (Apache-2.0) with the English
 * traineddata shipped by @tesseract.js-data/eng (Apache-2.0). Its legacy engine, held to the
 * zone's 37 characters, reads OCR-B's filler `<` where the LSTM engine reads K and L (measured on
 * the ICAO specimens). One worker, started on first use and kept: its start costs ~0.8 s.
 */
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { createWorker, OEM, PSM, type Worker } from 'tesseract.js';
import { readMrz, type MrzReading } from '../../app/document/mrz';
import type { RgbaImage } from '../../app/document/findDocument';
import { findMrzBand } from '../../app/document/mrzBand';
import { nodeRequire } from './nodeRequire';

const LANG_PATH = join(dirname(nodeRequire.resolve('@tesseract.js-data/eng/package.json')), '4.0.0');
/** The zone is in the bottom part of every layout: TD1's three lines take the lowest ~35 %. */
const ZONE_SHARE = 0.42;
/** The zone is read at this width: OCR-B characters ~28 px high on a passport page. */
const READ_WIDTH = 1600;

export type MrzOcr = { read(document: RgbaImage, today?: Date): Promise<MrzReading | null>; close(): Promise<void> };

export function createMrzOcr(): MrzOcr {
  let worker: Promise<Worker> | null = null;
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
  /** One way of preparing the zone for OCR: plain, or sharpened and thresholded for a soft camera picture. */
  type Look = 'plain' | 'crisp';
  async function ocr(pixels: Uint8Array | Uint8ClampedArray, document: RgbaImage, band: Band, look: Look): Promise<string> {
    let image = sharp(Buffer.from(pixels.buffer, pixels.byteOffset, pixels.length), {
      raw: { width: document.width, height: document.height, channels: 4 },
    })
      // 2.5 % in from each side: a card's edge or printed border would read as a stray character.
      .extract({ left: Math.round(document.width * 0.025), top: band.top, width: Math.round(document.width * 0.95), height: band.bottom - band.top })
      .greyscale()
      .resize({ width: READ_WIDTH, kernel: 'lanczos3' })
      .normalise();
    if (look === 'crisp') image = image.sharpen({ sigma: 1.5 }).median(3);
    const png = await image.png({ compressionLevel: 1 }).toBuffer();
    const { data } = await (await ready()).recognize(png);
    png.fill(0);
    return data.text;
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
    try {
      // No band that looks like a zone: nothing worth the OCR's time (a driving licence's front).
      // A band that reads short of a valid zone is read again with the whole lower part around it.
      const found = findMrzBand({ ...raw, data: pixels });
      if (!found) return null;
      const lowerPart = { top: Math.min(found.top, Math.floor(document.height * (1 - ZONE_SHARE))), bottom: document.height };
      const bands: Band[] = turned ? [found] : [found, lowerPart];
      let best: MrzReading | null = null;
      for (const band of bands) {
        for (const look of ['plain', 'crisp'] as const) {
          const reading = readMrz(await ocr(pixels, document, band, look), today);
          if (reading?.valid) return reading;
          if (reading && (!best || reading.confirmed.length > best.confirmed.length)) best = reading;
        }
      }
      return best;
    } finally {
      if (turned) pixels.fill(0);
    }
  }
  return {
    async read(document, today) {
      // A card shown upside down: its zone is then at the top, read after a half turn.
      return (await readSide(document, false, today)) ?? (await readSide(document, true, today));
    },
    async close() {
      if (worker) await (await worker).terminate();
      worker = null;
    },
  };
}
