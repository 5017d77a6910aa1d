import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { makeJpeg, makePng, makeRotatedJpeg, photoLike } from '../../tests/support/images';
import { normalizeForLiveness, normalizeForMatch, normalizeLiveCapture } from './normalize';

async function codeOf(promise: Promise<unknown>) {
  return promise.then(
    () => 'resolved',
    (error: { code?: string }) => error.code,
  );
}

describe('normalizeForLiveness', () => {
  it('turns a 720p JPEG into a PNG of the same size', async () => {
    const out = await normalizeForLiveness(await makeJpeg(1280, 720));
    expect(out).toMatchObject({ contentType: 'image/png', width: 1280, height: 720 });
    expect((await sharp(out.bytes).metadata()).format).toBe('png');
  });

  it('scales a frame taller than 1080 down to 1080, keeping the aspect', async () => {
    const out = await normalizeForLiveness(await makeJpeg(2160, 1440));
    expect(out).toMatchObject({ width: 1620, height: 1080 });
  });

  it('refuses a frame under 480 px high instead of upscaling it', async () => {
    await expect(codeOf(normalizeForLiveness(await makePng(640, 479)))).resolves.toBe('image_too_small');
    await expect(normalizeForLiveness(await makePng(640, 480))).resolves.toMatchObject({ height: 480 });
  });

  it('scales a frame so the pupils the kiosk measured are 90 px apart', async () => {
    // A 720p frame with the pupils 120 px apart: scaled by 0.75.
    expect(await normalizeForLiveness(await makeJpeg(1280, 720), { interpupillaryPx: 120 })).toMatchObject({ width: 960, height: 540 });
    // 1080p at 180 px: halved, 540 high.
    expect(await normalizeForLiveness(await makeJpeg(1920, 1080), { interpupillaryPx: 180 })).toMatchObject({ width: 960, height: 540 });
    // Between 85 and 90 px: never upscaled.
    expect(await normalizeForLiveness(await makeJpeg(1280, 720), { interpupillaryPx: 87 })).toMatchObject({ width: 1280, height: 720 });
  });

  it('never scales below 480 px: a face too close for 90 px goes at 480, for the service to turn away', async () => {
    expect(await normalizeForLiveness(await makeJpeg(1280, 720), { interpupillaryPx: 135 })).toMatchObject({ height: 480 });
    expect(await normalizeForLiveness(await makeJpeg(1280, 720), { interpupillaryPx: 160 })).toMatchObject({ width: 853, height: 480 });
  });

  it('applies EXIF orientation before checking the height', async () => {
    // Stored 800×400 (too short), but orientation 6 means it is really 400×800.
    const out = await normalizeForLiveness(await makeRotatedJpeg(800, 400, 6));
    expect(out).toMatchObject({ width: 400, height: 800 });
  });
});

describe('normalizeForMatch', () => {
  it('passes a conforming PNG through byte for byte', async () => {
    const png = await makePng(600, 600);
    const out = await normalizeForMatch(png);
    expect(out.contentType).toBe('image/png');
    expect(Buffer.compare(out.bytes, png)).toBe(0);
  });

  it('fits a large photo within 1024×1024, keeping the aspect, as JPEG', async () => {
    const out = await normalizeForMatch(await makeJpeg(3000, 2000));
    expect(out).toMatchObject({ contentType: 'image/jpeg', width: 1024, height: 683 });
  });

  it('re-encodes at lower quality until the file is at most 2 MB', async () => {
    // A noisy 1024×1024 PNG is far over 2 MB: it must come out as a JPEG under the limit.
    const noisy = await sharp({ create: { width: 1024, height: 1024, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 120 } } })
      .png({ compressionLevel: 0 })
      .toBuffer();
    expect(noisy.byteLength).toBeGreaterThan(2 * 1024 * 1024);
    const out = await normalizeForMatch(noisy);
    expect(out.contentType).toBe('image/jpeg');
    expect(out.bytes.byteLength).toBeLessThanOrEqual(2_000_000);
  });

  it('reads 2 MB as 2,000,000 bytes: a fitting JPEG of 2,050,000 bytes is re-encoded', async () => {
    const small = await sharp({ create: { width: 400, height: 400, channels: 3, background: '#8a7' } })
      .jpeg()
      .toBuffer();
    const padded = Buffer.concat([small, Buffer.alloc(2_050_000 - small.byteLength)]);
    const out = await normalizeForMatch(padded);
    expect(out.bytes.byteLength).toBeLessThanOrEqual(2_000_000);
  });

  it('rotates by EXIF and drops the metadata', async () => {
    const out = await normalizeForMatch(await makeRotatedJpeg(600, 300, 8));
    const meta = await sharp(out.bytes).metadata();
    expect([meta.width, meta.height]).toEqual([300, 600]);
    expect(meta.exif).toBeUndefined();
  });

  it('refuses anything under 150×150', async () => {
    await expect(codeOf(normalizeForMatch(await makeJpeg(149, 300)))).resolves.toBe('image_too_small');
  });
});

describe('normalizeLiveCapture', () => {
  it('gives the very bytes of the liveness PNG and of the match image made from it, decoding once', async () => {
    const frames = [
      { frame: await makeJpeg(1280, 720), ipd: 100 }, // scaled, then a 1024-px JPEG for the match
      { frame: await photoLike(960, 720).ensureAlpha().png().toBuffer(), ipd: 90 }, // RGBA, within 1024: its PNG for both
      { frame: await makeRotatedJpeg(720, 1280, 6), ipd: 0 }, // EXIF-rotated
    ];
    for (const { frame, ipd } of frames) {
      const both = await normalizeLiveCapture(Buffer.from(frame), { interpupillaryPx: ipd });
      const liveness = await normalizeForLiveness(Buffer.from(frame), { interpupillaryPx: ipd });
      const match = await normalizeForMatch(liveness.bytes);
      // Buffers compared by Buffer.equals: toEqual walks a megabyte element by element.
      const same = (x: typeof liveness, y: typeof liveness) =>
        x.contentType === y.contentType && x.width === y.width && x.height === y.height && x.bytes.equals(y.bytes);
      expect(same(both.forLiveness, liveness)).toBe(true);
      expect(same(both.forMatch, match)).toBe(true);
      expect(both.forMatch.bytes.buffer).not.toBe(both.forLiveness.bytes.buffer); // each is wiped on its own
    }
  });

  it('refuses what normalizeForLiveness refuses, with the same code', async () => {
    await expect(codeOf(normalizeLiveCapture(await makePng(640, 479)))).resolves.toBe('image_too_small');
    await expect(codeOf(normalizeLiveCapture(new Uint8Array(0)))).resolves.toBe('image_invalid');
  });

  it("makes from a frame's raw pixels the very bytes it makes from the same pixels as a PNG", async () => {
    for (const [width, height, ipd] of [
      [1280, 720, 100], // scaled, then a 1024-px JPEG for the match
      [960, 720, 90], // within 1024: its PNG for both
    ] as const) {
      const { data } = await photoLike(width, height).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      const fromPng = await normalizeLiveCapture(
        await sharp(data, { raw: { width, height, channels: 4 } })
          .png()
          .toBuffer(),
        { interpupillaryPx: ipd },
      );
      const fromPixels = await normalizeLiveCapture({ rgba: new Uint8Array(data), width, height }, { interpupillaryPx: ipd });
      expect(fromPixels.forLiveness.bytes.equals(fromPng.forLiveness.bytes)).toBe(true);
      expect(fromPixels.forMatch.bytes.equals(fromPng.forMatch.bytes)).toBe(true);
      expect(fromPixels.forLiveness).toMatchObject({ width: fromPng.forLiveness.width, height: fromPng.forLiveness.height });
    }
  });

  it('refuses raw pixels too short or too narrow for a face, with the codes an image gets', async () => {
    await expect(codeOf(normalizeLiveCapture({ rgba: new Uint8Array(640 * 479 * 4), width: 640, height: 479 }))).resolves.toBe('image_too_small');
    await expect(codeOf(normalizeLiveCapture({ rgba: new Uint8Array(2400 * 500 * 4), width: 2400, height: 500 }))).resolves.toBe('image_invalid');
  });
});

describe('bad input', () => {
  const cases: Array<[string, () => Promise<Uint8Array>, string]> = [
    ['a 0-byte file', async () => new Uint8Array(0), 'image_invalid'],
    ['text named .png', async () => Buffer.from('this is not an image at all'), 'image_invalid'],
    ['a truncated JPEG', async () => (await makeJpeg(800, 800)).subarray(0, 4000), 'image_invalid'],
    ['a truncated PNG', async () => (await makePng(800, 800)).subarray(0, 5000), 'image_invalid'],
    [
      'an animated GIF',
      async () =>
        sharp(await makePng(200, 200))
          .gif()
          .toBuffer(),
      'image_invalid',
    ],
    [
      'a 1×50000 strip',
      async () =>
        sharp({ create: { width: 1, height: 50_000, channels: 3, background: '#888' } })
          .png()
          .toBuffer(),
      'image_invalid',
    ],
    ['a 30 MB+ upload', async () => Buffer.alloc(31 * 1024 * 1024, 1), 'image_too_large'],
    // 10000×10000 of one colour compresses to a few KB: a decompression bomb for the pixel limit.
    [
      'a 100-megapixel bomb',
      async () =>
        sharp({ create: { width: 10_000, height: 10_000, channels: 3, background: '#000' } })
          .png()
          .toBuffer(),
      'image_invalid',
    ],
  ];

  for (const [name, make, code] of cases) {
    it(`answers ${name} with ${code} for both endpoints`, async () => {
      const input = await make();
      await expect(codeOf(normalizeForLiveness(input))).resolves.toBe(code);
      await expect(codeOf(normalizeForMatch(input))).resolves.toBe(code);
    });
  }

  it('accepts a 16-bit PNG and a CMYK JPEG', async () => {
    const png16 = await photoLike(640, 480).toColourspace('rgb16').png().toBuffer();
    expect((await normalizeForLiveness(png16)).height).toBe(480);
    const cmyk = await photoLike(640, 480).toColourspace('cmyk').jpeg().toBuffer();
    expect((await normalizeForMatch(cmyk)).contentType).toBe('image/jpeg');
  });
});
