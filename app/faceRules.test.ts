import { describe, expect, it } from 'vitest';
import { FACE_REJECTIONS, captureRuleBroken, livenessRejection, livenessRuleBroken, significantFaces, type FaceMetrics } from './faceRules';

const good: FaceMetrics = {
  box: { x: 100, y: 100, width: 200, height: 230 },
  sizePx: 300,
  interpupillaryPx: 90,
  yawDeg: 0,
  pitchDeg: 0,
  rollDeg: 0,
  score: 0.99,
};

describe('livenessRuleBroken', () => {
  it('accepts a frontal face at the target distance', () => {
    expect(livenessRuleBroken(good)).toBeNull();
  });

  it('applies the document limits with their tolerance', () => {
    expect(livenessRuleBroken({ ...good, interpupillaryPx: 84 })).toBe(FACE_REJECTIONS.ipdTooSmall);
    expect(livenessRuleBroken({ ...good, interpupillaryPx: 85 })).toBeNull();
    expect(livenessRuleBroken({ ...good, interpupillaryPx: 136 })).toBe(FACE_REJECTIONS.ipdTooLarge);
    expect(livenessRuleBroken({ ...good, sizePx: 223 })).toBe(FACE_REJECTIONS.faceTooSmall);
    expect(livenessRuleBroken({ ...good, yawDeg: -23 })).toBeNull();
    expect(livenessRuleBroken({ ...good, yawDeg: -23.5 })).toBe(FACE_REJECTIONS.yaw);
    expect(livenessRuleBroken({ ...good, pitchDeg: 24 })).toBe(FACE_REJECTIONS.pitch);
    expect(livenessRuleBroken({ ...good, rollDeg: 33 })).toBeNull();
    expect(livenessRuleBroken({ ...good, rollDeg: -34 })).toBe(FACE_REJECTIONS.roll);
  });

  it('keeps FACE_TOO_SMALL with the document message for a small interpupillary distance', () => {
    expect(FACE_REJECTIONS.ipdTooSmall).toEqual({ code: 'FACE_TOO_SMALL', message: 'Interpupillary distance is too small' });
  });
});

describe('captureRuleBroken', () => {
  it("never lets the kiosk send what the hosted service may refuse: the document's 85–95 px", () => {
    expect(captureRuleBroken({ ...good, interpupillaryPx: 95 })).toBeNull();
    expect(captureRuleBroken({ ...good, interpupillaryPx: 95.5 })).toBe(FACE_REJECTIONS.ipdTooLarge);
    expect(livenessRuleBroken({ ...good, interpupillaryPx: 95.5 })).toBeNull(); // the engine's wider tolerance
    expect(captureRuleBroken({ ...good, interpupillaryPx: 84 })).toBe(FACE_REJECTIONS.ipdTooSmall);
    expect(captureRuleBroken({ ...good, yawDeg: 30 })).toBe(FACE_REJECTIONS.yaw);
  });
});

describe('significantFaces', () => {
  it('ignores faces much smaller than the largest (ghost portraits, passers-by)', () => {
    const big = { box: { x: 0, y: 0, width: 200, height: 200 } };
    const ghost = { box: { x: 0, y: 0, width: 60, height: 60 } };
    const other = { box: { x: 0, y: 0, width: 150, height: 150 } };
    expect(significantFaces([big, ghost], 0.5)).toEqual([big]);
    expect(significantFaces([big, other, ghost], 0.5)).toEqual([big, other]);
    expect(significantFaces([big, other, ghost], 0.8)).toEqual([big]);
    expect(significantFaces([], 0.5)).toEqual([]);
  });
});

describe('livenessRejection', () => {
  const at = (x: number, width: number, over: Partial<FaceMetrics> = {}): FaceMetrics => ({ ...good, box: { ...good.box, x, width }, ...over });

  it('passes one good face, and ignores a much smaller one behind it', () => {
    expect(livenessRejection([good])).toBeNull();
    expect(livenessRejection([at(100, 200), at(600, 90)])).toBeNull();
  });

  it('refuses no face, two faces of similar size, then the first rule the one face breaks', () => {
    expect(livenessRejection([])).toBe(FACE_REJECTIONS.noFace);
    expect(livenessRejection([at(100, 200), at(600, 120)])).toBe(FACE_REJECTIONS.multipleFaces);
    expect(livenessRejection([at(100, 200, { yawDeg: 40 }), at(600, 90)])).toBe(FACE_REJECTIONS.yaw);
  });
});
