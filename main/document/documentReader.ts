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

export function createDocumentReader(deps: { ocr?: MrzOcr; now?: () => Date } = {}) {
  const ocr = deps.ocr ?? createMrzOcr();
  const now = deps.now ?? (() => new Date());
  return {
    /**
     * `wholeImage`: a scan or an imported file, taken whole when no edge is found. `expiryDate`:
     * staff's entry, used only when the document has no MRZ to give one.
     */
    async read(bytes: Uint8Array, options: { wholeImage: boolean; expiryDate?: string | undefined }): Promise<DocumentReading> {
      const image = await decodeRgba(bytes).finally(() => bytes.fill(0));
      const today = now();
      const byStaff = (found: boolean): DocumentReading => ({
        found,
        kind: null,
        issuingState: null,
        format: null,
        mrz: 'none',
        fields: { ...NO_FIELDS, expiryDate: options.expiryDate ?? null },
        confirmed: [],
        expiry: expiryStatus(options.expiryDate, today),
        expiryEnteredByStaff: options.expiryDate !== undefined,
      });
      try {
        const { cv } = await openCv();
        const sighting = findDocument(cv, image, { wholeImage: options.wholeImage });
        if (!sighting) return byStaff(false);
        const flat = rectifyDocument(cv, image, sighting.quad);
        const mrz = await ocr.read(flat, today).finally(() => flat.data.fill(0));
        if (!mrz) return byStaff(true);
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
      } finally {
        image.data.fill(0);
      }
    },
    close: () => ocr.close(),
  };
}
