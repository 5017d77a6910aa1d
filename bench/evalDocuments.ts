/**
 * What the kiosk concludes from a picture of a document, in Node, through main's own reader
 * (main/document/documentReader.ts: corners, straightening, MRZ, expiry) and, for the portrait,
 * the largest face on the straightened document found by the engine's detector (the ID step keeps
 * the largest). Used by `npm run eval -- --documents DIR` and by `npm run bench:documents`.
 */
import type { DocumentReading } from '../app/contract';
import { analyze } from '../engine/analysis/analyze';
import { engineConfig, loadHuman } from '../engine/analysis/humanNode';
import { createDocumentReader as createMainReader } from '../main/document/documentReader';

export type DocumentConclusion = {
  file: string;
  documentFound: boolean;
  corners: { x: number; y: number }[] | null;
  /** The portrait's face size (px, the larger side of its box) on the straightened document. */
  portraitPx: number | null;
  mrz: { format: string | null; valid: boolean; fields: DocumentReading['fields']; confirmed: string[] } | null;
  /** A licence's PDF417 barcode (AAMVA), read where the side shown has no MRZ: its kind and fields. */
  barcode: { kind: string | null; fields: DocumentReading['fields'] } | null;
  expired: boolean | null;
  /** Picture in → fields out, ms: main's whole read (decode, finding, straightening, OCR); the portrait's detector not counted. */
  readMs: number;
};

export async function createDocumentReader(options: { today?: Date } = {}) {
  const config = engineConfig(['detector', 'mesh']);
  const human = await loadHuman(config);
  const reader = createMainReader(options.today ? { now: () => options.today! } : {});
  return {
    async conclude(file: string, picture: Buffer, options: { wholeImage: boolean }): Promise<DocumentConclusion> {
      const started = performance.now();
      const { reading: read, straightened, corners } = await reader.read(new Uint8Array(picture), options);
      const reading = await read;
      const readMs = performance.now() - started;
      const portrait = straightened ? (await analyze(human, config, straightened, { maxSide: 2000 })).faces[0] : undefined;
      return {
        file,
        documentFound: reading.found,
        corners: corners?.map((p) => ({ x: Math.round(p.x), y: Math.round(p.y) })) ?? null,
        portraitPx: portrait ? Math.round(portrait.sizePx) : null,
        mrz:
          reading.mrz === 'none' || reading.mrz === 'barcode'
            ? null
            : { format: reading.format, valid: reading.mrz === 'verified', fields: reading.fields, confirmed: reading.confirmed },
        barcode: reading.mrz === 'barcode' ? { kind: reading.kind, fields: reading.fields } : null,
        expired: reading.expiry === 'unknown' ? null : reading.expiry === 'expired',
        readMs,
      };
    },
    close: () => reader.close(),
  };
}
