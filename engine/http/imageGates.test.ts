import { describe, expect, it } from 'vitest';
import type { AnalyzedFace } from '../analysis/analyze';
import sharp from 'sharp';
import { checkLivenessFile, checkMatchFile, matchFace } from './imageGates';

const face = (x: number, y: number, width: number, id: number): AnalyzedFace => ({
  box: { x, y, width, height: width * 1.2 },
  sizePx: width,
  interpupillaryPx: width / 2.2,
  yawDeg: 0,
  pitchDeg: 0,
  rollDeg: 0,
  score: 1,
  embedding: [id],
});
const photo = (...faces: AnalyzedFace[]) => ({
  width: 250,
  height: 250,
  faces,
  live: null,
  rejection: null,
  timings: { decode: 0, detect: 0, describe: 0, antispoof: 0 },
});

describe('the face a match compares', () => {
  it('is the only face, or the largest when the others are much smaller (an ID card’s ghost portrait)', () => {
    expect(matchFace(photo(face(80, 70, 90, 1)), 'image1')).toEqual([1]);
    expect(matchFace(photo(face(10, 10, 40, 2), face(80, 70, 90, 1)), 'image1')).toEqual([1]);
  });

  it('is the one at the centre when bystanders of similar size stand to the side', () => {
    expect(matchFace(photo(face(-10, 80, 80, 2), face(80, 75, 90, 1), face(180, 10, 80, 3)), 'image1')).toEqual([1]);
  });

  it('is nobody when two similar faces are about as central: the photo is ambiguous', () => {
    expect(() => matchFace(photo(face(30, 70, 90, 1), face(130, 70, 90, 2)), 'image2')).toThrow(
      expect.objectContaining({ code: 'MULTIPLE_FACES', message: 'image2: More than one face was found in the image' }),
    );
  });

  it('is nobody when no face was found', () => {
    expect(() => matchFace(photo(), 'image1')).toThrow(expect.objectContaining({ code: '-3491' }));
  });
});

describe('the file gates at their exact edges', () => {
  const png = (width: number, height: number) =>
    sharp({ create: { width, height, channels: 3, background: '#808080' } })
      .png()
      .toBuffer();
  const codeOf = (p: Promise<unknown>) =>
    p.then(
      () => 'passed',
      (error: { code?: string }) => error.code,
    );

  it('takes a match image of exactly 150×150 and 1024×1024 and refuses one pixel either side', async () => {
    expect(await codeOf(checkMatchFile(await png(150, 150), 'image1'))).toBe('passed');
    expect(await codeOf(checkMatchFile(await png(1024, 1024), 'image1'))).toBe('passed');
    expect(await codeOf(checkMatchFile(await png(149, 150), 'image1'))).toBe('IMAGE_DIMENSIONS');
    expect(await codeOf(checkMatchFile(await png(150, 149), 'image1'))).toBe('IMAGE_DIMENSIONS');
    expect(await codeOf(checkMatchFile(await png(1025, 1024), 'image1'))).toBe('IMAGE_DIMENSIONS');
    expect(await codeOf(checkMatchFile(await png(1024, 1025), 'image1'))).toBe('IMAGE_DIMENSIONS');
  });

  it('takes a liveness PNG exactly 480 px high and refuses 479', async () => {
    expect(await codeOf(checkLivenessFile(await png(640, 480)))).toBe('passed');
    expect(await codeOf(checkLivenessFile(await png(640, 479)))).toBe('IMAGE_TOO_SMALL');
  });
});
