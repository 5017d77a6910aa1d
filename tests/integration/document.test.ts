/**
 * Main's document reader on real pixels: a test passport (harness/testDocument.ts: an npm sample
 * face, an MRZ built by ICAO's rules in an npm font) seen by a webcam at the counter
 * (harness/documentViews.ts), through OpenCV.js, the straightening and tesseract.js.
 */
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { documentInstruction } from '../../app/document/documentGuidance';
import { findDocument } from '../../app/document/findDocument';
import { cameraView } from '../../harness/documentViews';
import { A_LICENCE, A_PASSPORT, licenceBack, passportPage, td3Lines } from '../../harness/testDocument';
import { createDocumentReader } from '../../main/document/documentReader';
import { openCv } from '../../main/document/openCv';
import { makeJpeg } from '../support/images';

const TODAY = new Date('2026-12-03T12:00:00Z');
const reader = createDocumentReader({ now: () => TODAY });
/** The reader's answer with its reading settled. */
const readWhole = async (picture: Uint8Array, options: { wholeImage: boolean }) => {
  const read = await reader.read(picture, options);
  return { ...read, reading: await read.reading };
};
afterAll(() => reader.close());

const view = async (page: Buffer, seed: number) =>
  new Uint8Array((await cameraView(page, 125, { frame: { width: 1920, height: 1080 }, distanceCm: 20, yaw: 5, pitch: -3, roll: 2, seed })).png);

describe('the ID document read by main', () => {
  it('loads OpenCV.js without leaving its process hooks behind (an unhandled rejection would abort it for good)', async () => {
    const before = [process.listenerCount('unhandledRejection'), process.listenerCount('uncaughtException')];
    await openCv();
    expect([process.listenerCount('unhandledRejection'), process.listenerCount('uncaughtException')]).toEqual(before);
  });

  it('finds a passport in a camera view, straightens it, reads its MRZ with every check digit, and zeroes the picture', async () => {
    const picture = await view(await passportPage(), 3);
    const { reading, straightened } = await readWhole(picture, { wholeImage: false });
    expect(picture.every((b) => b === 0)).toBe(true);
    expect(reading).toMatchObject({ found: true, kind: 'passport', format: 'TD3', mrz: 'verified', expiry: 'valid', issuingState: 'NLD' });
    expect(reading.fields).toMatchObject({ documentNumber: 'X12345678', surname: 'TESTER', birthDate: '1985-03-15', expiryDate: '2034-01-01' });
    expect(reading.confirmed.sort()).toEqual(['birthDate', 'documentNumber', 'expiryDate']);
    // Straightened to a passport page's proportions (125 × 88 mm).
    const { width = 0, height = 1 } = await sharp(straightened!).metadata();
    expect(width / height).toBeCloseTo(125 / 88, 2);
  }, 60_000);

  it('an expired passport reads as expired; a changed digit fails its check digits and its expiry is not trusted', async () => {
    const { reading: expired } = await readWhole(await view(await passportPage({ ...A_PASSPORT, expiryDate: '240101' }), 4), { wholeImage: false });
    expect(expired).toMatchObject({ mrz: 'verified', expiry: 'expired' });

    const [line1, line2] = td3Lines(A_PASSPORT);
    const { reading: altered } = await readWhole(await view(await passportPage(A_PASSPORT, [line1, line2.replace('850315', '850316')]), 5), {
      wholeImage: false,
    });
    expect(altered.mrz).toBe('failed');
    expect(altered.confirmed).not.toContain('birthDate');
  }, 60_000);

  it("reads a US licence's back by its PDF417 barcode in a camera view: its fields, as read, and its expiry", async () => {
    const back = async (expiry: string, seed: number) =>
      new Uint8Array(
        (
          await cameraView(await licenceBack({ ...A_LICENCE, expiry }), 85.6, {
            frame: { width: 1920, height: 1080 },
            distanceCm: 16,
            yaw: 4,
            pitch: -3,
            roll: 2,
            seed,
          })
        ).png,
      );
    const { reading } = await readWhole(await back('01312030', 8), { wholeImage: false });
    expect(reading).toMatchObject({
      found: true,
      kind: 'driving_licence',
      issuingState: 'USA',
      format: 'PDF417',
      mrz: 'barcode',
      expiry: 'valid',
      confirmed: [],
    });
    expect(reading.fields).toMatchObject({
      documentNumber: 'D1234562',
      surname: 'PUBLIC',
      givenNames: 'JOHN',
      birthDate: '1970-01-31',
      expiryDate: '2030-01-31',
      sex: 'M',
    });
    const { reading: expired } = await readWhole(await back('01312020', 9), { wholeImage: false });
    expect(expired).toMatchObject({ mrz: 'barcode', expiry: 'expired' });
  }, 60_000);

  it('a zone seen too small to trust is shown as read, its check digits confirming nothing', async () => {
    // A third of the 1080p view: ~5.9 camera pixels a character, under the 7 a reading is vouched for at.
    const small = await sharp(await view(await passportPage(), 3))
      .resize(Math.round(1920 * 0.34))
      .png()
      .toBuffer();
    const { reading } = await readWhole(new Uint8Array(small), { wholeImage: false });
    expect(reading.fields.documentNumber).toBe('X12345678');
    expect(reading).toMatchObject({ mrz: 'failed', confirmed: [], expiry: 'unknown' });
  }, 60_000);

  it('outlines a card held far off (~1.5 % of a 720p frame), so guidance asks for it closer rather than for a card', async () => {
    const { cv } = await openCv();
    const far = await cameraView(await passportPage(), 85.6, { frame: { width: 1280, height: 720 }, distanceCm: 55, yaw: 4, pitch: -3, roll: -4, seed: 7 });
    const { data, info } = await sharp(far.png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const sighting = findDocument(cv, { data, width: info.width, height: info.height });
    expect(sighting!.fill).toBeLessThan(0.025);
    sighting!.quad.forEach((corner, i) => expect(Math.hypot(corner.x - far.quad[i]!.x, corner.y - far.quad[i]!.y)).toBeLessThan(10));
    expect(documentInstruction(sighting, sighting)).toBe('closer');
  }, 60_000);

  it('answers the straightened document while its MRZ is still being read, and zeroes the straightened pixels once both are done', async () => {
    let finish: (reading: null) => void = () => undefined;
    let seen: Uint8Array | Uint8ClampedArray | null = null;
    const slowOcr = createDocumentReader({
      ocr: {
        read: (document) => ((seen = document.data), new Promise((resolve) => (finish = resolve))),
        prepare: () => undefined,
        close: async () => undefined,
      },
    });
    const { straightened, reading } = await slowOcr.read(await view(await passportPage(), 3), { wholeImage: false });
    const { width = 0, height = 1 } = await sharp(straightened!).metadata();
    expect(width / height).toBeCloseTo(125 / 88, 2);
    let settled = false;
    void reading.then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(settled).toBe(false);
    expect(seen!.some((b) => b !== 0)).toBe(true);
    finish(null);
    await expect(reading).resolves.toMatchObject({ found: true, mrz: 'none' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(seen!.every((b) => b === 0)).toBe(true);
  }, 60_000);

  it('starts the OCR when guidance first looks for a card, so the read after the capture does not pay its start', async () => {
    let prepared = 0;
    const withOcr = createDocumentReader({ ocr: { read: async () => null, prepare: () => void prepared++, close: async () => undefined } });
    expect(prepared).toBe(0);
    await withOcr.find(new Uint8Array(await makeJpeg(640, 360)));
    expect(prepared).toBe(1);
  });

  it('finds the card in a small guidance frame, and says when a picture has no document or no MRZ', async () => {
    const small = await sharp(await view(await passportPage(), 6))
      .resize(640)
      .jpeg()
      .toBuffer();
    const sighting = await reader.find(new Uint8Array(small));
    expect(sighting).toMatchObject({ touchesEdge: false });
    expect(sighting!.fill).toBeGreaterThan(0.2);
    expect(await reader.find(new Uint8Array(await makeJpeg(640, 360)))).toBeNull();

    const { reading } = await readWhole(new Uint8Array(await makeJpeg(800, 500)), { wholeImage: true });
    expect(reading).toMatchObject({ mrz: 'none', expiry: 'unknown' });
    expect(reading.fields.documentNumber).toBeNull();
  }, 60_000);
});
