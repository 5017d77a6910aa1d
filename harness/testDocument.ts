/**
 * An identity document made for the tests, never a real one: a TD3 passport page with a portrait
 * cut from face-api's npm sample photos (faces.ts) and an MRZ built by ICAO 9303's rules (the
 * 7-3-1 check digits the `mrz` parser verifies), printed in OCR-B as real zones are (the font
 * the kiosk ships, engine/models/ocr-b); the other text in DejaVu Sans Mono from the
 * dejavu-fonts-ttf package (free licence). Pass fields to make an expired or altered document.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { faceCrop } from './faces';
import { ocrbFontPath } from '../main/document/ocrbGlyphs';

const FONT = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf', 'DejaVuSansMono.ttf');

/** ICAO 9303 check digit: weights 7, 3, 1; digits as themselves, A–Z as 10–35, `<` as 0. */
export function checkDigit(text: string): string {
  const value = (c: string) => (c === '<' ? 0 : /\d/.test(c) ? Number(c) : c.charCodeAt(0) - 55);
  return String([...text].reduce((sum, c, i) => sum + value(c) * [7, 3, 1][i % 3]!, 0) % 10);
}

export type TestPassport = {
  surname: string;
  givenNames: string;
  documentNumber: string;
  nationality: string;
  birthDate: string; // YYMMDD
  sex: 'F' | 'M';
  expiryDate: string; // YYMMDD
};

export const A_PASSPORT: TestPassport = {
  surname: 'TESTER',
  givenNames: 'ALICE MAY',
  documentNumber: 'X12345678',
  nationality: 'NLD',
  birthDate: '850315',
  sex: 'F',
  expiryDate: '340101',
};

/** The two lines of a TD3 zone, every check digit computed. */
export function td3Lines(p: TestPassport): [string, string] {
  const line1 = `P<${p.nationality}${p.surname}<<${p.givenNames.replace(/ /g, '<')}`.padEnd(44, '<').slice(0, 44);
  const number = p.documentNumber.padEnd(9, '<');
  const personal = ''.padEnd(14, '<');
  const body = `${number}${checkDigit(number)}${p.nationality}${p.birthDate}${checkDigit(p.birthDate)}${p.sex}${p.expiryDate}${checkDigit(p.expiryDate)}${personal}${checkDigit(personal)}`;
  const composite = checkDigit(body.slice(0, 10) + body.slice(13, 20) + body.slice(21, 43));
  return [line1, body + composite];
}

/** A passport page (1250×880 px, 10 px a millimetre) with `lines` as its MRZ; the lines default to `passport`'s. */
export async function passportPage(passport: TestPassport = A_PASSPORT, lines: readonly string[] = td3Lines(passport)): Promise<Buffer> {
  const [width, height] = [1250, 880];
  const portrait = await sharp(await faceCrop('A', { margin: 0.35 }))
    .resize(320, 410, { fit: 'cover' })
    .toBuffer();
  const text = (content: string, size: number) =>
    sharp({ text: { text: `<span foreground="#111">${content}</span>`, fontfile: FONT, font: `DejaVu Sans Mono ${size}`, rgba: true, dpi: 72 } })
      .png()
      .toBuffer();
  const mrz = await mrzInk(lines, { size: 34, spacing: 18 });
  const mrzWidth = (await sharp(mrz).metadata()).width ?? width;
  return sharp({ create: { width, height, channels: 3, background: '#f3efe4' } })
    .composite([
      { input: portrait, left: 60, top: 130 },
      { input: await text('PASSPORT  TEST ONLY', 40), left: 420, top: 60 },
      { input: await text(`${passport.surname}<br/>${passport.givenNames}`.replace('<br/>', '\n'), 30), left: 420, top: 160 },
      { input: await text(`No. ${passport.documentNumber}   ${passport.nationality}`, 30), left: 420, top: 290 },
      { input: await text(`Born ${passport.birthDate}   Expires ${passport.expiryDate}`, 30), left: 420, top: 360 },
      { input: mrz, left: Math.max(0, Math.round((width - mrzWidth) / 2)), top: 680 },
    ])
    .jpeg({ quality: 92 })
    .toBuffer();
}

/** A US driving licence's fields for the back's barcode (AAMVA 2016 order; dates MMDDCCYY). */
export type TestLicence = { number: string; surname: string; givenName: string; birth: string; expiry: string; sex: '1' | '2' };
export const A_LICENCE: TestLicence = { number: 'D1234562', surname: 'PUBLIC', givenName: 'JOHN', birth: '01311970', expiry: '01312030', sex: '1' };

/** The AAMVA text of a licence: header, one DL subfile directory entry, the subfile. */
export function aamvaText(l: TestLicence): string {
  const subfile = `DLDAQ${l.number}\nDCS${l.surname}\nDAC${l.givenName}\nDADNONE\nDBB${l.birth}\nDBA${l.expiry}\nDBC${l.sex}\nDAJCA\nDCGUSA\r`;
  const header = `@\n\x1e\rANSI 636014090001`;
  const directory = `DL${String(header.length + 10).padStart(4, '0')}${String(subfile.length).padStart(4, '0')}`;
  return `${header}${directory}${subfile}`;
}

/** The back of an ID-1 licence (85.6 × 54 mm at ~14.6 px/mm): a PDF417 of its AAMVA text made by bwip-js (MIT), and a line of print. */
export async function licenceBack(licence: TestLicence = A_LICENCE): Promise<Buffer> {
  const [width, height] = [1250, 788];
  const { default: bwipjs } = await import('bwip-js/node');
  const barcode = await sharp(
    await bwipjs.toBuffer({ bcid: 'pdf417', text: aamvaText(licence), scale: 3, columns: 6 } as Parameters<typeof bwipjs.toBuffer>[0]),
  )
    .flatten({ background: '#ffffff' })
    .resize({ width: 1050 })
    .png()
    .toBuffer();
  return sharp({ create: { width, height, channels: 3, background: '#eef1f4' } })
    .composite([
      { input: barcode, left: 100, top: 230 },
      {
        input: await sharp({
          text: { text: '<span foreground="#111">TEST ONLY - NOT A DOCUMENT</span>', fontfile: FONT, font: 'DejaVu Sans Mono 30', rgba: true, dpi: 72 },
        })
          .png()
          .toBuffer(),
        left: 100,
        top: 100,
      },
    ])
    .jpeg({ quality: 92 })
    .toBuffer();
}

/** A zone's lines in OCR-B, black ink on a transparent ground (PNG), `size` points and `spacing` between lines. */
export function mrzInk(lines: readonly string[], { size, spacing }: { size: number; spacing: number }): Promise<Buffer> {
  return sharp({
    text: {
      text: `<span foreground="#000">${lines.join('\n').replace(/</g, '&lt;')}</span>`,
      fontfile: ocrbFontPath(),
      font: `OCR B ${size}`,
      rgba: true,
      dpi: 72,
      spacing,
    },
  })
    .png()
    .toBuffer();
}
