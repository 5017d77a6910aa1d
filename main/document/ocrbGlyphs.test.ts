/**
 * The zone reader that compares each character with OCR-B itself (app/document/mrzGlyphs.ts), on
 * zones the test prints in the font the kiosk ships, then blurs, shrinks and tilts as a webcam
 * would; and the two rules that decide what its reading may confirm.
 */
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { td3Lines, A_PASSPORT, checkDigit, mrzInk } from '../../harness/testDocument';
import { checkedPositions, readMrz } from '../../app/document/mrz';
import { agrees, blurredGlyphs, corroborates, doubtful, MRZ_ALPHABET, readGlyphs, type GlyphReading, type GlyphSet } from '../../app/document/mrzGlyphs';
import { findMrzBand } from '../../app/document/mrzBand';
import { loadOcrbGlyphs } from './ocrbGlyphs';

let glyphs: GlyphSet;
beforeAll(async () => {
  glyphs = await loadOcrbGlyphs();
});

const PAPER = '#f1ede2';
/** The zone's type: OCR-B at 40 points, 20 between lines. */
const ZONE_TYPE = { size: 40, spacing: 20 };

/** The zone printed in OCR-B on paper, `width` px wide after shrinking, blurred and turned by `degrees`. */
async function printedZone(lines: readonly string[], options: { width: number; blur?: number; degrees?: number }) {
  const text = await mrzInk(lines, ZONE_TYPE);
  // sharp runs one pipeline's steps in its own order: the ink goes onto paper first, then the margin.
  const paper = await sharp(text).flatten({ background: PAPER }).png().toBuffer();
  const page = await sharp(paper).extend({ top: 30, bottom: 30, left: 20, right: 20, background: PAPER }).png().toBuffer();
  let image = sharp(page)
    .rotate(options.degrees ?? 0, { background: PAPER })
    .resize({ width: options.width });
  if (options.blur) image = image.blur(options.blur);
  // Back up to the reading width, as main does with the straightened document's band.
  const small = await image.png().toBuffer();
  const { data, info } = await sharp(small).greyscale().resize({ width: 1600, kernel: 'lanczos3' }).normalise().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

const TD3 = td3Lines(A_PASSPORT);
const TD1 = (() => {
  const number = 'AB1234567';
  const line1 = `I<NLD${number}${checkDigit(number)}`.padEnd(30, '<');
  const line2body = `850315${checkDigit('850315')}F340101${checkDigit('340101')}NLD`.padEnd(29, '<');
  const composite = checkDigit(line1.slice(5, 30) + line2body.slice(0, 7) + line2body.slice(8, 15) + line2body.slice(18, 29));
  return [line1, line2body + composite, 'TESTER<<ALICE<MAY'.padEnd(30, '<')];
})();

describe('the MRZ read against OCR-B', () => {
  it('reads a printed TD3 zone character for character, and its check digits hold', async () => {
    const reading = readGlyphs(await printedZone(TD3, { width: 1200 }), glyphs);
    expect(reading?.lines).toEqual(TD3);
    expect(readMrz(reading!.lines.join('\n'), new Date('2026-12-03'), { correct: false })?.valid).toBe(true);
    expect(doubtful(reading!, checkedPositions(reading!.lines))).toEqual([]);
  });

  it('reads a TD1 card zone as three lines of 30, and a webcam-sized, blurred, tilted TD3 zone', async () => {
    expect(readGlyphs(await printedZone(TD1, { width: 700 }), glyphs)?.lines).toEqual(TD1);
    // About what a 1080p webcam gives a passport's zone at 30 cm (~9 px a character), turned 1°.
    const soft = readGlyphs(await printedZone(TD3, { width: 420, blur: 0.8, degrees: 1 }), glyphs);
    expect(soft?.lines).toEqual(TD3);
  });

  it('finds no zone in a blank band', async () => {
    const blank = { data: new Uint8Array(1600 * 120).fill(235), width: 1600, height: 120 };
    expect(readGlyphs(blank, glyphs)).toBeNull();
  });
});

describe('a zone a camera blurs, or glare fades', () => {
  it('reads a soft zone against the glyphs blurred as a camera out of focus prints them, which crisp ones misread', async () => {
    // ~9.5 px a character at 420 px, blurred a little more than the test above.
    const soft = await printedZone(TD3, { width: 420, blur: 1.3, degrees: 1 });
    expect(readGlyphs(soft, glyphs)?.lines).not.toEqual(TD3);
    expect(readGlyphs(soft, blurredGlyphs(glyphs, 3))?.lines).toEqual(TD3);
  });

  it("finds both lines of a zone whose first line glare has faded at its end, and cuts them at the zone's pitch", async () => {
    const text = await sharp(await mrzInk(TD3, ZONE_TYPE))
      .flatten({ background: PAPER })
      .resize({ width: 560 })
      .png()
      .toBuffer();
    const zoneHeight = (await sharp(text).metadata()).height!;
    // A page of a passport's proportions, the zone near its foot, a glint over the end of its first line.
    const [width, height] = [600, 420];
    const top = height - zoneHeight - 25;
    const glint = `<svg width="${width}" height="${height}"><filter id="f"><feGaussianBlur stdDeviation="6"/></filter><ellipse cx="${width * 0.8}" cy="${top + 4}" rx="${width * 0.14}" ry="${zoneHeight * 0.45}" fill="#fff" fill-opacity="0.97" filter="url(#f)"/></svg>`;
    const page = await sharp({ create: { width, height, channels: 3, background: PAPER } })
      .composite([
        { input: text, left: 20, top },
        { input: Buffer.from(glint), left: 0, top: 0 },
      ])
      .png()
      .toBuffer();
    const band = findMrzBand({ data: await sharp(page).extractChannel(0).raw().toBuffer(), width, height, channels: 1 });
    expect(band?.top).toBeLessThanOrEqual(top);
    expect(band?.bottom).toBeGreaterThanOrEqual(top + zoneHeight);
    const grey = await sharp(page)
      .extract({ left: 15, top: band!.top, width: 570, height: band!.bottom - band!.top })
      .greyscale()
      .resize({ width: 1600, kernel: 'lanczos3' })
      .normalise()
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(readGlyphs({ data: grey.data, width: grey.info.width, height: grey.info.height }, glyphs)?.lines).toEqual(TD3);
  });
});

/** A reading whose cells are sure of their characters, except where `doubt` sets a rival's score. */
function readingOf(lines: readonly string[], doubt: { line: number; column: number; rival: string; lead: number }[] = []): GlyphReading {
  const cells = lines.map((line, l) =>
    [...line].map((char, c) => {
      const scores = new Float32Array(MRZ_ALPHABET.length).fill(0.2);
      scores[MRZ_ALPHABET.indexOf(char)] = 0.9;
      const d = doubt.find((x) => x.line === l && x.column === c);
      if (d) scores[MRZ_ALPHABET.indexOf(d.rival)] = 0.9 - d.lead;
      const runnerUp = d ? d.rival : MRZ_ALPHABET[(MRZ_ALPHABET.indexOf(char) + 1) % MRZ_ALPHABET.length]!;
      return { char, score: 0.9, runnerUp, margin: d ? d.lead : 0.7, scores };
    }),
  );
  return { lines: [...lines], cells };
}

describe('what the glyph reading may confirm', () => {
  const positions = checkedPositions(TD3);

  it('is not sure of a number whose character barely leads a look-alike the check digit cannot see (0 and U: 0 and 30)', () => {
    // X12345678: the 8 at column 8 and S (28) give the check digit the same sum.
    expect(doubtful(readingOf(TD3, [{ line: 1, column: 8, rival: 'S', lead: 0.01 }]), positions)).toEqual([{ line: 1, column: 8, field: 'documentNumber' }]);
    expect(doubtful(readingOf(TD3, [{ line: 1, column: 8, rival: 'S', lead: 0.05 }]), positions)).toEqual([]);
    // A close rival the check digit would catch (8 and 3) does not make the number doubtful.
    expect(doubtful(readingOf(TD3, [{ line: 1, column: 8, rival: '3', lead: 0.001 }]), positions)).toEqual([]);
    // Names carry no check digit: doubt there is not this rule's concern.
    expect(doubtful(readingOf(TD3, [{ line: 0, column: 6, rival: 'F', lead: 0.001 }]), positions)).toEqual([]);
  });

  it("takes a second reader's vote at a doubtful character only when it read exactly that character, at one or two places", () => {
    const reading = readingOf(TD3, [{ line: 1, column: 8, rival: 'S', lead: 0.01 }]);
    const unsure = doubtful(reading, positions);
    expect(unsure).toEqual([{ line: 1, column: 8, field: 'documentNumber' }]);
    expect(corroborates(TD3, TD3, unsure)).toBe(true);
    // Tesseract saw the look-alike there (or read the zone short): no vote for the glyphs' 8.
    expect(corroborates([TD3[0], `${TD3[1].slice(0, 8)}S${TD3[1].slice(9)}`], TD3, unsure)).toBe(false);
    expect(corroborates([TD3[0], TD3[1].slice(1)], TD3, unsure)).toBe(false);
    // Doubt at three places is too much for one vote.
    const threeDoubts = readingOf(TD3, [
      { line: 1, column: 1, rival: 'B', lead: 0.01 },
      { line: 1, column: 5, rival: 'F', lead: 0.01 },
      { line: 1, column: 8, rival: 'S', lead: 0.01 },
    ]);
    expect(doubtful(threeDoubts, positions)).toHaveLength(3);
    expect(corroborates(TD3, TD3, doubtful(threeDoubts, positions))).toBe(false);
  });

  it('judges a character the check digit corrected (B read, 8 meant) by its own score against its look-alikes', () => {
    const asRead = [TD3[0], `${TD3[1].slice(0, 8)}B${TD3[1].slice(9)}`];
    const reading = readingOf(asRead, [{ line: 1, column: 8, rival: '8', lead: 0.05 }]);
    expect(doubtful(reading, positions, TD3)).toEqual([]);
    // S (28) is to 8 what the check digit cannot see: a close S leaves the corrected 8 doubtful.
    reading.cells[1]![8]!.scores[MRZ_ALPHABET.indexOf('S')] = 0.84;
    expect(doubtful(reading, positions, TD3)).toEqual([{ line: 1, column: 8, field: 'documentNumber' }]);
  });

  it("vouches for another reader's zone only where it saw the same characters, first or second choice", () => {
    const reading = readingOf(TD3, [{ line: 1, column: 8, rival: 'S', lead: 0.01 }]);
    expect(agrees(TD3, reading, positions)).toBe(true);
    const withS = [TD3[0], `${TD3[1].slice(0, 8)}S${TD3[1].slice(9)}`];
    expect(agrees(withS, reading, positions)).toBe(true);
    const withB = [TD3[0], `${TD3[1].slice(0, 8)}B${TD3[1].slice(9)}`];
    expect(agrees(withB, reading, positions)).toBe(false);
    // A difference in the name, which no check digit covers, is not a disagreement here.
    expect(agrees([TD3[0].replace('TESTER', 'TESTFR'), TD3[1]], reading, positions)).toBe(true);
  });
});
