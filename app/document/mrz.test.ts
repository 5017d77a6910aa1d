import { describe, expect, it } from 'vitest';
import { checkDigit, td3Lines, A_PASSPORT } from '../../harness/testDocument';
import { expiryStatus, findMrzLines, readMrz } from './mrz';

const TODAY = new Date('2026-12-03T12:00:00Z');
const text = (lines: readonly string[]) => `PASSPORT\nsome text above\n${lines.join('\n')}\n`;

describe('reading the MRZ', () => {
  it('reads a TD3 passport zone, every check digit holding, and says which fields a check digit confirmed', () => {
    const reading = readMrz(text(td3Lines(A_PASSPORT)), TODAY)!;
    expect(reading).toMatchObject({ format: 'TD3', kind: 'passport', valid: true, corrections: 0 });
    expect(reading.fields).toEqual({
      documentNumber: 'X12345678',
      surname: 'TESTER',
      givenNames: 'ALICE MAY',
      nationality: 'NLD',
      birthDate: '1985-03-15',
      expiryDate: '2034-01-01',
      sex: 'F',
      issuingState: 'NLD',
    });
    expect(reading.confirmed.sort()).toEqual(['birthDate', 'documentNumber', 'expiryDate']);
  });

  it('corrects an OCR confusion only where the check digit confirms it', () => {
    const [line1, line2] = td3Lines(A_PASSPORT);
    // The document number's 0-free digits: read an 8 as B (the check digit then fails).
    const misread = line2.replace('X12345678', 'X1234567B');
    const reading = readMrz(text([line1, misread]), TODAY)!;
    expect(reading.valid).toBe(true);
    expect(reading.corrections).toBe(1);
    expect(reading.fields.documentNumber).toBe('X12345678');
  });

  it('leaves a misread alone when two corrections would each satisfy the check digits', () => {
    // ICAO's TD2 specimen with its number D23145890 read as DZ3145890: 2 for Z and B for 8 both make
    // every digit hold, so neither is chosen and the zone is reported as failing.
    const reading = readMrz(text(['I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'DZ31458907UTO7408122F1204159<<<<<<<6']), TODAY)!;
    expect(reading).toMatchObject({ format: 'TD2', valid: false, corrections: 0 });
    expect(reading.confirmed).toEqual([]);
  });

  it('finds the zone in a line read with a stray character at its start (a card edge read as 1)', () => {
    const [line1, line2] = td3Lines(A_PASSPORT);
    const reading = readMrz(text([line1, `1${line2}`]), TODAY)!;
    expect(reading).toMatchObject({ valid: true });
    expect(reading.fields.documentNumber).toBe('X12345678');
  });

  it('a changed digit no OCR confusion explains fails its check digit, and the field is not confirmed', () => {
    const [line1, line2] = td3Lines(A_PASSPORT);
    const altered = line2.replace('850315', '850316');
    const reading = readMrz(text([line1, altered]), TODAY)!;
    expect(reading.valid).toBe(false);
    expect(reading.confirmed).not.toContain('birthDate');
    expect(reading.corrections).toBe(0);
  });

  it('reads a TD1 identity card and an MRV-A visa, whose layout has no composite digit', () => {
    const number = 'D23145890';
    const birth = '740812';
    const expiry = '320415';
    const line1 = `I<UTO${number}${checkDigit(number)}`.padEnd(30, '<');
    const line2Body = `${birth}${checkDigit(birth)}F${expiry}${checkDigit(expiry)}UTO`.padEnd(29, '<');
    const composite = checkDigit(line1.slice(5, 30) + line2Body.slice(0, 7) + line2Body.slice(8, 15) + line2Body.slice(18, 29));
    const td1 = readMrz(text([line1, line2Body + composite, 'ERIKSSON<<ANNA<MARIA'.padEnd(30, '<')]), TODAY)!;
    expect(td1).toMatchObject({ format: 'TD1', kind: 'identity_card', valid: true });
    expect(td1.fields.documentNumber).toBe(number);

    const visaLine1 = 'V<UTOERIKSSON<<ANNA<MARIA'.padEnd(44, '<');
    const visaLine2 = `L8988901C${checkDigit('L8988901C')}XXX${birth}${checkDigit(birth)}F${'960923'}${checkDigit('960923')}`.padEnd(44, '<');
    const visa = readMrz(text([visaLine1, visaLine2]), TODAY)!;
    expect(visa).toMatchObject({ format: 'MRV-A', kind: 'visa', valid: true });
    expect(visa.fields.expiryDate).toBe('1996-09-23');
  });

  it('finds no zone in text without one, and fixes a line cut short by a missing trailing filler', () => {
    expect(findMrzLines('REPUBLIQUE FRANCAISE\nCARTE NATIONALE\n')).toBeNull();
    const [line1, line2] = td3Lines(A_PASSPORT);
    expect(findMrzLines(`${line1.slice(0, 43)}\n${line2}`)).toEqual([line1, line2]);
  });

  it('judges expiry through the last day', () => {
    expect(expiryStatus('2026-12-03', TODAY)).toBe('valid');
    expect(expiryStatus('2026-12-02', TODAY)).toBe('expired');
    expect(expiryStatus(null, TODAY)).toBe('unknown');
    expect(expiryStatus('12/2030', TODAY)).toBe('unknown');
  });
});
