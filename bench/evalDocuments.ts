/**
 * What the kiosk concludes from a picture of a document, in Node: the corners (the finder the ID
 * camera runs), the straightened document, its portrait (the largest face, found by the engine's
 * detector, as the ID step keeps the largest), the MRZ (main's reader) and expiry. Used by
 * `npm run eval -- --documents DIR` and by `npm run bench:documents` on camera views.
 */
import sharp from 'sharp';
import { findDocument } from '../app/document/findDocument';
import { expiryStatus, type MrzReading } from '../app/document/mrz';
import { openCv } from '../main/document/openCv';
import { rectifyDocument } from '../app/document/rectify';
import { analyze } from '../engine/analysis/analyze';
import { engineConfig, loadHuman } from '../engine/analysis/humanNode';
import { createMrzOcr } from '../main/document/mrzOcr';

export type DocumentConclusion = {
  file: string;
  documentFound: boolean;
  corners: { x: number; y: number }[] | null;
  /** The portrait's face size (px, the larger side of its box) on the straightened document. */
  portraitPx: number | null;
  mrz: { format: string; valid: boolean; fields: MrzReading['fields']; confirmed: string[]; corrections: number } | null;
  expired: boolean | null;
  /** Picture in → fields out, ms (finding, straightening, OCR; the portrait's detector not counted). */
  readMs: number;
};

export async function createDocumentReader() {
  const { cv } = await openCv();
  const config = engineConfig(['detector', 'mesh']);
  const human = await loadHuman(config);
  const ocr = createMrzOcr();
  return {
    async conclude(file: string, picture: Buffer, options: { wholeImage: boolean; today?: Date }): Promise<DocumentConclusion> {
      const { data, info } = await sharp(picture).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      const image = { data, width: info.width, height: info.height };
      const started = performance.now();
      const sighting = findDocument(cv, image, { wholeImage: options.wholeImage });
      if (!sighting) return { file, documentFound: false, corners: null, portraitPx: null, mrz: null, expired: null, readMs: performance.now() - started };
      const flat = rectifyDocument(cv, image, sighting.quad);
      const mrz = await ocr.read(flat, options.today);
      const readMs = performance.now() - started;
      const png = await sharp(Buffer.from(flat.data.buffer), { raw: { width: flat.width, height: flat.height, channels: 4 } })
        .png({ compressionLevel: 1 })
        .toBuffer();
      const portrait = (await analyze(human, config, png, { maxSide: 1024 })).faces[0];
      const expiry = expiryStatus(mrz?.fields.expiryDate, options.today);
      return {
        file,
        documentFound: true,
        corners: sighting.quad.map((p) => ({ x: Math.round(p.x), y: Math.round(p.y) })),
        portraitPx: portrait ? Math.round(portrait.sizePx) : null,
        mrz: mrz && { format: mrz.format, valid: mrz.valid, fields: mrz.fields, confirmed: mrz.confirmed, corrections: mrz.corrections },
        expired: expiry === 'unknown' ? null : expiry === 'expired',
        readMs,
      };
    },
    close: () => ocr.close(),
  };
}
