/**
 * The machine-readable zone, from OCR text to fields the kiosk can trust. Parsing and every check
 * digit are the `mrz` package's (MIT, ICAO 9303); this module finds the zone's lines in the text,
 * corrects the usual OCR confusions only where a check digit confirms the change, adds the visas
 * (MRV-A, MRV-B) the package does not know, and says which fields a check digit confirmed.
 */
import { parse, type Details, type ParseResult } from 'mrz';

export type MrzFormat = 'TD1' | 'TD2' | 'TD3' | 'MRV-A' | 'MRV-B';
/** `driving_licence`: a US or Canadian licence read by its barcode (aamva.ts); an MRZ never says so. */
export type DocumentKind = 'passport' | 'identity_card' | 'visa' | 'driving_licence' | 'other';
export const DOCUMENT_KINDS = ['passport', 'identity_card', 'visa', 'driving_licence', 'other'] as const satisfies readonly DocumentKind[];

export type MrzFields = {
  documentNumber: string | null;
  surname: string | null;
  givenNames: string | null;
  nationality: string | null;
  /** ISO dates (YYYY-MM-DD). */
  birthDate: string | null;
  expiryDate: string | null;
  sex: 'F' | 'M' | 'X' | null;
  issuingState: string | null;
};

export type MrzReading = {
  format: MrzFormat;
  kind: DocumentKind;
  /** Every check digit of the zone holds. */
  valid: boolean;
  fields: MrzFields;
  /** The fields a check digit covers and confirmed; the others (names, sex, states) are as read. */
  confirmed: (keyof MrzFields)[];
  /** Characters changed from the OCR's reading, each confirmed by its check digit. */
  corrections: number;
  /** The zone's lines as read (and corrected): main's memory only, never shown or kept. */
  lines: string[];
};

/** Line length → format; a visa is told by its document code. */
const LAYOUTS = [
  { length: 30, lines: 3, format: 'TD1' },
  { length: 36, lines: 2, format: 'TD2' },
  { length: 44, lines: 2, format: 'TD3' },
] as const;

/** Each format's long side (mm, ICAO 9303): its zone is printed at 10 characters an inch on every one. */
const FORMAT_WIDTH_MM: Record<MrzFormat, number> = { TD1: 85.6, TD2: 105, TD3: 125, 'MRV-A': 120, 'MRV-B': 105 };

/** Pixels from one MRZ character to the next on a straightened document `widthPx` wide. */
export const mrzPitchPx = (format: MrzFormat, widthPx: number) => (widthPx * 25.4) / 10 / FORMAT_WIDTH_MM[format];

/** Characters OCR mistakes for each other in OCR-B, both ways. */
const CONFUSIONS: Record<string, string> = {
  '0': 'O',
  O: '0',
  '1': 'I',
  I: '1',
  '2': 'Z',
  Z: '2',
  '5': 'S',
  S: '5',
  '8': 'B',
  B: '8',
  '6': 'G',
  G: '6',
  '<': 'KL',
  K: '<',
  L: '<',
};

const CHECKED: Partial<Record<string, (keyof MrzFields)[]>> = {
  documentNumberCheckDigit: ['documentNumber'],
  birthDateCheckDigit: ['birthDate'],
  expirationDateCheckDigit: ['expiryDate'],
};

/**
 * The ways the zone's lines can be laid over OCR text: consecutive lines of one layout's length
 * (±3). A line cut short gets its trailing fillers back; a line read long (a card's edge or a
 * speck read as a character) is tried at every offset, since which end the stray characters sit
 * at is not known. At most a few dozen candidates; the check digits choose among them.
 */
export function mrzCandidates(text: string): Array<string[] & { adjusted?: boolean }> {
  const lines = text
    .split('\n')
    .map((l) => l.toUpperCase().replace(/[^A-Z0-9<]/g, ''))
    .filter((l) => l.length >= 27);
  const candidates: Array<string[] & { adjusted?: boolean }> = [];
  for (const layout of [...LAYOUTS].reverse()) {
    for (let i = 0; i + layout.lines <= lines.length; i++) {
      const block = lines.slice(i, i + layout.lines);
      if (!block.every((l) => Math.abs(l.length - layout.length) <= 3)) continue;
      const variants = block.map((l) =>
        l.length <= layout.length
          ? [l.padEnd(layout.length, '<')]
          : Array.from({ length: l.length - layout.length + 1 }, (_, k) => l.slice(k, k + layout.length)),
      );
      const combine = (done: string[][], next: string[]) => done.flatMap((d) => next.map((v) => [...d, v]));
      // A line padded or cut to length is a guess already: it is not corrected on top of that.
      const adjusted = block.some((l) => l.length !== layout.length);
      candidates.push(...variants.reduce(combine, [[]] as string[][]).map((c) => Object.assign(c, { adjusted })));
    }
  }
  return candidates;
}

/** The zone's most likely lines in OCR text (the first candidate), or null. */
export function findMrzLines(text: string): string[] | null {
  const first = mrzCandidates(text)[0];
  return first ? [...first] : null;
}

type Parsed = { result: ParseResult; format: MrzFormat };

/** The package's parse, with a visa read through the layout it shares (MRV-A with TD3, MRV-B with TD2). */
function parseZone(lines: readonly string[]): Parsed | null {
  const visa = lines[0]!.startsWith('V');
  const asParsed = visa ? [(lines[0]!.length === 44 ? 'P' : 'I') + lines[0]!.slice(1), ...lines.slice(1)] : [...lines];
  try {
    const result = parse(asParsed);
    const format = visa ? (result.format === 'TD3' ? 'MRV-A' : 'MRV-B') : (result.format as MrzFormat);
    if (!['TD1', 'TD2', 'TD3', 'MRV-A', 'MRV-B'].includes(format)) return null;
    return { result, format };
  } catch {
    return null;
  }
}

/** A visa has no composite or personal-number check digit: those positions are optional data. */
function checkDigits({ result, format }: Parsed): Details[] {
  const visa = format === 'MRV-A' || format === 'MRV-B';
  return result.details.filter(
    (d) => d.field?.endsWith('CheckDigit') && !(visa && (d.field === 'compositeCheckDigit' || d.field === 'personalNumberCheckDigit')),
  );
}
const failures = (parsed: Parsed) => checkDigits(parsed).filter((d) => !d.valid).length;
const invalid = (parsed: Parsed) => parsed.result.details.filter((d) => !d.valid).map((d) => d.label);

/**
 * One confusable character changed at a time inside a failing check digit's field (or the digit
 * itself), kept only when exactly one change makes that digit hold without breaking another.
 */
function corrected(lines: string[], most: number): { lines: string[]; parsed: Parsed; corrections: number } | null {
  let parsed = parseZone(lines);
  if (!parsed) return null;
  let corrections = 0;
  // One correction per zone at most, and none on a line already padded or cut to length: on
  // camera views chained guesses twice made a wrong document number whose every digit held.
  for (let round = 0; round < most && failures(parsed) > 0; round++) {
    const before = failures(parsed);
    const failing = checkDigits(parsed).filter((d) => !d.valid);
    const invalidBefore = new Set(invalid(parsed));
    let fixed = false;
    for (const digit of failing) {
      const field = digit.field === 'compositeCheckDigit' ? null : parsed.result.details.find((d) => digit.field === `${d.field}CheckDigit`);
      const ranges = [...(field?.ranges ?? []), ...digit.ranges];
      const candidates: { lines: string[]; failing: number }[] = [];
      for (const range of ranges) {
        for (let column = range.start; column < range.end; column++) {
          for (const replacement of CONFUSIONS[lines[range.line]![column]!] ?? '') {
            const trial = [...lines];
            trial[range.line] = trial[range.line]!.slice(0, column) + replacement + trial[range.line]!.slice(column + 1);
            const reparsed = parseZone(trial);
            // Kept only if it breaks nothing: every field still valid (a date still a date), fewer failing digits.
            if (reparsed && failures(reparsed) < before && invalid(reparsed).every((f) => invalidBefore.has(f)))
              candidates.push({ lines: trial, failing: failures(reparsed) });
          }
        }
      }
      // The change that leaves fewest digits failing (the composite confirming it too), if only one does.
      const fewest = Math.min(...candidates.map((c) => c.failing));
      // The package lists a field's ranges under its check digit too: the same change can come twice.
      const best = [...new Map(candidates.filter((c) => c.failing === fewest).map((c) => [c.lines.join('\n'), c])).values()];
      if (best.length === 1) {
        lines = best[0]!.lines;
        parsed = parseZone(lines)!;
        corrections++;
        fixed = true;
        break;
      }
    }
    if (!fixed) break;
  }
  return { lines, parsed, corrections };
}

/** A position a check digit covers: the document number (and its digit), the dates (and theirs). */
export type CheckedPosition = { line: number; column: number; field: 'documentNumber' | 'birthDate' | 'expiryDate' };

/** Every position the three field check digits cover, in a zone of a known layout; [] when it does not parse. */
export function checkedPositions(lines: readonly string[]): CheckedPosition[] {
  const parsed = parseZone(lines);
  if (!parsed) return [];
  const fields = { documentNumber: 'documentNumber', birthDate: 'birthDate', expirationDate: 'expiryDate' } as const;
  return parsed.result.details.flatMap((d) => {
    const field = fields[d.field as keyof typeof fields];
    if (!field) return [];
    return d.ranges.flatMap((r) => Array.from({ length: r.end - r.start }, (_, k) => ({ line: r.line, column: r.start + k, field })));
  });
}

function isoDate(yymmdd: string | null | undefined, kind: 'birth' | 'expiry', today: Date): string | null {
  if (!yymmdd || !/^\d{6}$/.test(yymmdd)) return null;
  const yy = Number(yymmdd.slice(0, 2));
  const thisYear = today.getUTCFullYear() % 100;
  // A birth year ahead of this one is last century's; an expiry more than 50 years out is too.
  const century = kind === 'birth' ? (yy > thisYear ? 1900 : 2000) : yy > thisYear + 50 ? 1900 : 2000;
  return `${century + yy}-${yymmdd.slice(2, 4)}-${yymmdd.slice(4, 6)}`;
}

function kindOf(format: MrzFormat, code: string): DocumentKind {
  if (format === 'MRV-A' || format === 'MRV-B') return 'visa';
  if (code.startsWith('P')) return 'passport';
  if (/^[ACI]/.test(code)) return 'identity_card';
  return 'other';
}

const name = (value: string | null | undefined) => value?.replace(/</g, ' ').replace(/\s+/g, ' ').trim() || null;

/**
 * The zone read from OCR text, or null when no zone of a known layout is in it. Of the ways its
 * lines can be laid (mrzCandidates), the first whose every check digit holds, else the one with
 * the most confirmed fields. `correct: false`: no OCR confusion is corrected (the reading exactly
 * as the reader made it).
 */
export function readMrz(text: string, today = new Date(), options: { correct?: boolean } = {}): MrzReading | null {
  let best: MrzReading | null = null;
  for (const lines of mrzCandidates(text)) {
    const reading = readZone(lines, today, options.correct !== false && !lines.adjusted);
    if (reading?.valid) return reading;
    if (reading && (!best || reading.confirmed.length > best.confirmed.length)) best = reading;
  }
  return best;
}

function readZone(lines: string[], today: Date, correct: boolean): MrzReading | null {
  const zone = corrected(lines, correct ? 1 : 0);
  if (!zone) return null;
  const { result, format } = zone.parsed;
  const f = result.fields;
  // The package drops a state code it does not list (ICAO's specimen "UTO"): kept as read.
  const raw = (field: string) => {
    const detail = result.details.find((d) => d.field === field);
    return detail ? name(zone.lines[detail.line]!.slice(detail.start, detail.end)) : null;
  };
  const sex = f.sex === 'male' ? 'M' : f.sex === 'female' ? 'F' : f.sex === 'nonspecified' ? 'X' : null;
  const fields: MrzFields = {
    documentNumber: f.documentNumber ?? null,
    surname: name(f.lastName),
    givenNames: name(f.firstName),
    nationality: f.nationality ?? raw('nationality'),
    birthDate: isoDate(f.birthDate, 'birth', today),
    expiryDate: isoDate(f.expirationDate, 'expiry', today),
    sex,
    issuingState: f.issuingState ?? raw('issuingState'),
  };
  const digits = checkDigits(zone.parsed);
  // Valid: every check digit holds and every field is well formed (a date a date, sex M/F/<, a
  // known document code): OCR garbage can satisfy a check digit by chance (1 in 10), not all of
  // this. State codes may be ones the package does not list (ICAO's specimen "UTO"): not required.
  const visaOptional = new Set(['compositeCheckDigit', 'personalNumberCheckDigit']);
  const wellFormed = result.details.every(
    (d) =>
      d.valid || d.field === 'issuingState' || d.field === 'nationality' || ((format === 'MRV-A' || format === 'MRV-B') && visaOptional.has(d.field ?? '')),
  );
  const valid = digits.length > 0 && digits.every((d) => d.valid) && wellFormed;
  // Only a valid zone confirms anything: a field is confirmed by its own check digit and the composite.
  const confirmed = valid ? digits.flatMap((d) => CHECKED[d.field!] ?? []) : [];
  return {
    format,
    kind: kindOf(format, lines[0]!.slice(0, 2)),
    valid,
    fields,
    confirmed: confirmed.filter((k) => fields[k] !== null),
    corrections: zone.corrections,
    lines: zone.lines,
  };
}

export type ExpiryStatus = 'valid' | 'expired' | 'unknown';

/** Expired once the expiry date has passed (the document is valid through its last day). */
export function expiryStatus(expiryDate: string | null | undefined, today = new Date()): ExpiryStatus {
  if (!expiryDate || !/^\d{4}-\d{2}-\d{2}$/.test(expiryDate)) return 'unknown';
  return expiryDate < today.toISOString().slice(0, 10) ? 'expired' : 'valid';
}
