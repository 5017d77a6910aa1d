import { describe, expect, it } from 'vitest';
import { aamvaText, A_LICENCE } from '../../harness/testDocument';
import { parseAamva } from './aamva';

describe('the AAMVA barcode text', () => {
  it('gives a US licence its fields, with MMDDCCYY dates turned into ISO ones', () => {
    expect(parseAamva(aamvaText(A_LICENCE))).toEqual({
      kind: 'driving_licence',
      fields: {
        documentNumber: 'D1234562',
        surname: 'PUBLIC',
        givenNames: 'JOHN',
        nationality: null,
        birthDate: '1970-01-31',
        expiryDate: '2030-01-31',
        sex: 'M',
        issuingState: 'USA',
      },
    });
  });

  it('reads Canadian dates year first, an ID card as one, and a version-1 name from DAA', () => {
    const text = '@\n\x1e\rANSI 636012030001ID00310080IDDAQ123\nDAAROE,JANE,Q\nDBB19800229\nDBA20240131\nDBC2\nDCGCAN\r';
    expect(parseAamva(text)).toMatchObject({
      kind: 'identity_card',
      fields: { documentNumber: '123', surname: 'ROE', givenNames: 'JANE Q', birthDate: '1980-02-29', expiryDate: '2024-01-31', sex: 'F', issuingState: 'CAN' },
    });
  });

  it('gives no date for one that is not a date, and nothing for text that is not AAMVA', () => {
    expect(parseAamva(aamvaText({ ...A_LICENCE, expiry: '02302030' }))?.fields.expiryDate).toBeNull();
    expect(parseAamva('hello')).toBeNull();
    expect(parseAamva('@\n\x1e\rANSI 636014090001')).toBeNull();
  });
});
