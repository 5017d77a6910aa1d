/**
 * The ID step's picture, read: the document found (app/document/findDocument.ts), straightened at
 * the picture's full resolution, its MRZ read (mrzOcr.ts) and its expiry judged. Every pixel
 * buffer made here is zeroed before the answer leaves; only the fields stay, in the session.
 */
import type { DocumentReading } from '../../app/contract';
import { findDocument } from '../../app/document/findDocument';
import { expiryStatus } from '../../app/document/mrz';
import { openCv } from './openCv';
import { rectifyDocument } from '../../app/document/rectify';
import { decodeRgba } from '../imaging/normalize';
import sharp from 'sharp';
import type { DocumentSighting, RgbaImage } from '../../app/document/findDocument';
import type { Quad } from '../../app/document/documentShape';
import { createMrzOcr, type MrzOcr } from './mrzOcr';

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

    /** `wholeImage`: a scan or an imported file, taken whole when no edge is found. */
    async read(
      bytes: Uint8Array,
      options: { wholeImage: boolean },
    ): Promise<{ reading: DocumentReading; straightened: Uint8Array<ArrayBuffer> | null; corners: Quad | null }> {
      const image = await decodeRgba(bytes).finally(() => bytes.fill(0));
      const today = now();
      /** No MRZ on the side shown: staff read the expiry on the card (session.setDocumentExpiry). */
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
      try {
        const { cv } = await openCv();
        const sighting = findDocument(cv, image, { wholeImage: options.wholeImage });
        if (!sighting) return { reading: withoutMrz(false), straightened: null, corners: null };
        const flat = rectifyDocument(cv, image, sighting.quad);
        const [mrz, straightened] = await Promise.all([ocr.read(flat, today), toJpeg(flat)]).finally(() => flat.data.fill(0));
        if (!mrz) return { reading: withoutMrz(true), straightened, corners: sighting.quad };
        const reading: DocumentReading = {
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
        return { reading, straightened, corners: sighting.quad };
      } finally {
        image.data.fill(0);
      }
    },
    close: () => ocr.close(),
  };
}
