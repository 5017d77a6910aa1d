/**
 * The PDF417 barcode on the back of a US or Canadian driving licence or ID card (AAMVA DL/ID Card
 * Design Standard, 2000–2020 versions): its text, turned into the same fields as an MRZ. The
 * barcode has no check digits: Reed–Solomon error correction makes the decode exact, so nothing
 * is "confirmed" the way an MRZ's check digit confirms a field, but the dates are the card's own.
 */
import type { DocumentKind, MrzFields } from './mrz';

export type AamvaReading = { kind: DocumentKind; fields: MrzFields };

/** "@" LF RS CR, then "ANSI " (some early cards "AAMVA"), the issuer's IIN and versions, then the subfile directory. */
// The record separator is a control character, as the standard writes it.
// eslint-disable-next-line no-control-regex
const HEADER = /^@\n\x1e\r(?:ANSI |AAMVA)(\d{6})(\d{2})(\d{2})?(\d{2})/;

/** MMDDCCYY (USA) or CCYYMMDD (Canada) → YYYY-MM-DD; null when it is not a date. */
function isoDate(value: string | undefined, canadian: boolean): string | null {
  if (!value || !/^\d{8}$/.test(value)) return null;
  const [year, month, day] = canadian ? [value.slice(0, 4), value.slice(4, 6), value.slice(6)] : [value.slice(4), value.slice(0, 2), value.slice(2, 4)];
  const date = `${year}-${month}-${day}`;
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(date) ? date : null;
}

const SEX: Record<string, MrzFields['sex']> = { '1': 'M', '2': 'F', '9': 'X', M: 'M', F: 'F', X: 'X' };

/** The DL or ID subfile's elements (three-letter ID → value); null when the text is not an AAMVA barcode. */
function elements(text: string): { type: 'DL' | 'ID'; values: Map<string, string> } | null {
  if (!HEADER.test(text)) return null;
  // The subfile starts with its type right before its first element ("DLDAQ…"); a directory's
  // offsets are not always right in the field, so the subfile is found by that pattern.
  const start = text.search(/(DL|ID)(?=D[A-Z]{2})/);
  if (start < 0) return null;
  const type = text.slice(start, start + 2) as 'DL' | 'ID';
  const values = new Map<string, string>();
  for (const line of text.slice(start + 2).split(/[\n\r]/)) {
    const match = /^(D[A-Z]{2})(.*)$/.exec(line);
    if (match && !values.has(match[1]!)) values.set(match[1]!, match[2]!.trim());
  }
  return { type, values };
}

export function parseAamva(text: string): AamvaReading | null {
  const found = elements(text);
  if (!found) return null;
  const get = (id: string) => found.values.get(id) || undefined;
  const country = get('DCG') ?? null;
  const canadian = country === 'CAN';
  // Version 1 cards give the whole name in DAA ("SURNAME,GIVEN,MIDDLE"); later ones DCS/DAC/DAD.
  const [oldSurname, ...oldGiven] = (get('DAA') ?? '').split(',');
  const given = [get('DAC') ?? get('DCT'), get('DAD')].filter((n) => n && n !== 'NONE').join(' ') || oldGiven.join(' ') || null;
  return {
    kind: found.type === 'DL' ? 'driving_licence' : 'identity_card',
    fields: {
      documentNumber: get('DAQ') ?? null,
      surname: get('DCS') ?? (oldSurname || null),
      givenNames: given,
      nationality: null,
      birthDate: isoDate(get('DBB'), canadian),
      expiryDate: isoDate(get('DBA'), canadian),
      sex: SEX[get('DBC') ?? ''] ?? null,
      issuingState: country,
    },
  };
}
