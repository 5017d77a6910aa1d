/**
 * The ID step's picture, read: the document found (app/document/findDocument.ts), straightened at
 * the picture's full resolution, its MRZ read (mrzOcr.ts) or, without one, its PDF417 barcode
 * (pdf417.ts), and its expiry judged. Every pixel buffer made here is zeroed once used; only the
 * fields stay, in the session.
 */
import type { DocumentReading } from '../../app/contract';
import { findDocument } from '../../app/document/findDocument';
import { expiryStatus, type MrzReading } from '../../app/document/mrz';
import { DOCUMENT_SHAPES } from '../../app/document/documentShape';
import { openCv } from './openCv';
import { rectifyDocument } from '../../app/document/rectify';
import { decodeRgba } from '../imaging/normalize';
import sharp from 'sharp';
import type { DocumentSighting, RgbaImage } from '../../app/document/findDocument';
import type { Quad } from '../../app/document/documentShape';
import { createMrzOcr, type MrzOcr } from './mrzOcr';
import { readPdf417 } from './pdf417';
import { parseAamva } from '../../app/document/aamva';

const NO_FIELDS: DocumentReading['fields'] = {
  documentNumber: null,
  surname: null,
  givenNames: null,
  nationality: null,
  birthDate: null,
  expiryDate: null,
  sex: null,
  issuingState: null,
};

export type DocumentReader = ReturnType<typeof createDocumentReader>;

const ID1_ASPECT = DOCUMENT_SHAPES[0].aspect;

/** No MRZ or barcode on the side shown: staff read the expiry on the card (session.setDocumentExpiry). */
const withoutMrz = (found: boolean): DocumentReading => ({
  found,
  kind: null,
  issuingState: null,
  format: null,
  mrz: 'none',
  fields: NO_FIELDS,
  confirmed: [],
  expiry: 'unknown',
  expiryEnteredByStaff: false,
});

function fromMrz(mrz: MrzReading, today: Date): DocumentReading {
  return {
    found: true,
    kind: mrz.kind,
    issuingState: mrz.fields.issuingState,
    format: mrz.format,
    mrz: mrz.valid ? 'verified' : 'failed',
    fields: mrz.fields,
    confirmed: mrz.confirmed,
    // An expiry no check digit confirmed cannot say "valid"; staff read the card.
    expiry: mrz.confirmed.includes('expiryDate') ? expiryStatus(mrz.fields.expiryDate, today) : 'unknown',
    expiryEnteredByStaff: false,
  };
}

/**
 * A US or Canadian licence's back: its PDF417 barcode (AAMVA). No check digit confirms a field,
 * but the barcode's error correction makes its dates the card's own, so its expiry is judged.
 */
function fromBarcode(document: RgbaImage, today: Date): DocumentReading | null {
  const text = readPdf417(document);
  const card = text === null ? null : parseAamva(text);
  if (!card) return null;
  return {
    found: true,
    kind: card.kind,
    issuingState: card.fields.issuingState,
    format: 'PDF417',
    mrz: 'barcode',
    fields: card.fields,
    confirmed: [],
    expiry: expiryStatus(card.fields.expiryDate, today),
    expiryEnteredByStaff: false,
  };
}

/** The straightened document for the ID step's portrait search: JPEG at 95, full resolution. */
const toJpeg = (image: RgbaImage) =>
  sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.length), { raw: { width: image.width, height: image.height, channels: 4 } })
    .removeAlpha()
    .jpeg({ quality: 95 })
    .toBuffer()
    .then((b) => new Uint8Array(b));

export function createDocumentReader(deps: { ocr?: MrzOcr; now?: () => Date } = {}) {
  const ocr = deps.ocr ?? createMrzOcr();
  const now = deps.now ?? (() => new Date());
  return {
    /** Where the document is in a guidance frame; the frame is zeroed. */
    async find(bytes: Uint8Array): Promise<DocumentSighting | null> {
      // Guidance has started: the read that follows a capture should not pay the OCR's start.
      ocr.prepare();
      const image = await decodeRgba(bytes).finally(() => bytes.fill(0));
      try {
        return findDocument((await openCv()).cv, image);
      } finally {
        image.data.fill(0);
      }
    },

    /**
     * `wholeImage`: a scan or an imported file, taken whole when no edge is found. The document
     * is answered straightened as soon as it is (the ID step looks for the portrait on it), while
     * its MRZ is still being read: `reading` settles when the OCR has finished.
     */
    async read(
      bytes: Uint8Array,
      options: { wholeImage: boolean },
    ): Promise<{ straightened: Uint8Array<ArrayBuffer> | null; corners: Quad | null; reading: Promise<DocumentReading> }> {
      const image = await decodeRgba(bytes).finally(() => bytes.fill(0));
      const today = now();
      let flat: RgbaImage;
      let quad: Quad;
      try {
        const { cv } = await openCv();
        const sighting = findDocument(cv, image, { wholeImage: options.wholeImage });
        if (!sighting) return { straightened: null, corners: null, reading: Promise.resolve(withoutMrz(false)) };
        flat = rectifyDocument(cv, image, sighting.quad);
        quad = sighting.quad;
      } finally {
        image.data.fill(0);
      }
      const jpeg = toJpeg(flat);
      // A licence (ID-1 card) is tried for its barcode first: found or not in ~30–120 ms, where
      // the OCR looks for a zone in a licence's back for seconds. Other shapes only without an MRZ.
      const card = Math.abs(flat.width / flat.height - ID1_ASPECT) / ID1_ASPECT <= 0.08;
      const barcode = card ? fromBarcode(flat, today) : null;
      const reading = barcode
        ? Promise.resolve(barcode)
        : ocr.read(flat, today).then((mrz) => (mrz ? fromMrz(mrz, today) : ((card ? null : fromBarcode(flat, today)) ?? withoutMrz(true))));
      // Both read the straightened pixels: zeroed once both are done.
      void Promise.allSettled([jpeg, reading]).then(() => flat.data.fill(0));
      const straightened = await jpeg.catch((error: unknown) => {
        void reading.catch(() => undefined);
        throw error;
      });
      return { straightened, corners: quad, reading };
    },
    close: () => ocr.close(),
  };
}
