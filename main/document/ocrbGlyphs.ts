/**
 * OCR-B's characters as templates for the zone reader (app/document/mrzGlyphs.ts), rendered once
 * from the font the kiosk ships (public domain: Matthew Skala's OCR-B after
 * Norbert Schwarz's METAFONT, as packaged by Debian's fonts-ocr-b) with sharp's text renderer.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { MRZ_ALPHABET, normalisedCell, TEMPLATE_H, TEMPLATE_W, type GlyphSet } from '../../app/document/mrzGlyphs';

/**
 * The font, vendored in engine/models/ocr-b and copied by the build to dist/models/ocr-b: from
 * main's bundle (dist/main, CommonJS) or from the sources (tsx, vitest). The font renderer opens
 * it by path, so an installed kiosk reads it from the archive's unpacked copy.
 */
export function ocrbFontPath(): string {
  const here = typeof __dirname === 'string' ? __dirname : dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, '..', 'models', 'ocr-b', 'OCRB.otf'), join(here, '..', '..', 'engine', 'models', 'ocr-b', 'OCRB.otf')];
  const found = candidates.map((p) => p.replace(`app.asar${'/'}`, `app.asar.unpacked${'/'}`)).find((p) => existsSync(p));
  return found ?? candidates[0]!;
}

/** The ink of `text` (white on black), tight to its box. */
async function render(text: string, fontfile: string): Promise<{ data: Uint8Array; width: number; height: number }> {
  const { data, info } = await sharp({ text: { text: text.replace(/</g, '&lt;'), fontfile, font: 'OCR B', dpi: 400 } })
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

/**
 * Each character between two H's, so its cell is the font's own advance and its height the
 * line's: OCR-B is monospaced and H is symmetric, so with H's ink `h` wide and "H?H" `w` wide,
 * the advance is (w − h) / 2 and the middle cell starts one advance less H's bearing in.
 */
export async function loadOcrbGlyphs(fontfile = ocrbFontPath()): Promise<GlyphSet> {
  const h = (await render('H', fontfile)).width;
  const bank = new Float32Array(MRZ_ALPHABET.length * TEMPLATE_W * TEMPLATE_H);
  let proportions = 0;
  for (const [index, char] of [...MRZ_ALPHABET].entries()) {
    const image = await render(`H${char}H`, fontfile);
    const advance = (image.width - h) / 2;
    proportions += advance / image.height / MRZ_ALPHABET.length;
    const bearing = (advance - h) / 2;
    const cell = normalisedCell(image, advance - bearing, 0, 2 * advance - bearing, image.height, false);
    if (!cell) throw new Error(`OCR-B glyph ${char} rendered blank`);
    bank.set(cell, index * cell.length);
  }
  return { bank, advance: proportions };
}
