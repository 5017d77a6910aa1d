import { describe, expect, it } from 'vitest';
import { CAPTURE_IPD, captureScale, distanceRange, faceAsSent } from './captureGeometry';
import type { FaceMetrics } from './faceRules';
import { LIVENESS } from './imageRequirements';

const face = (interpupillaryPx: number): FaceMetrics => ({
  box: { x: 500, y: 200, width: 2.2 * interpupillaryPx, height: 2.6 * interpupillaryPx },
  sizePx: 3 * interpupillaryPx,
  interpupillaryPx,
  yawDeg: 0,
  pitchDeg: 0,
  rollDeg: 0,
  score: 0.9,
});

describe('distanceRange', () => {
  it("runs from the document's 85 px to the frame that, scaled to 90 px, is 480 px high", () => {
    expect(distanceRange({ height: 720 })).toEqual({ minIpd: 85, maxIpd: 135 });
    expect(distanceRange({ height: 1080 })).toEqual({ minIpd: 85, maxIpd: 202.5 });
  });

  it('raises the far end for a frame taller than 1080, which is scaled to 1080 anyway', () => {
    const range = distanceRange({ height: 1280 });
    expect(range.minIpd).toBeCloseTo((85 * 1280) / 1080, 6);
    const sent = faceAsSent({ height: 1280 }, face(range.minIpd));
    expect(sent.face.interpupillaryPx).toBeCloseTo(85, 6);
  });
});

describe('captureScale and faceAsSent', () => {
  it('puts the pupils 90 px apart anywhere in the range, the frame still at least 480 px high', () => {
    for (const height of [720, 1080]) {
      const { maxIpd } = distanceRange({ height });
      for (const ipd of [90, 100, 120, maxIpd]) {
        const sent = faceAsSent({ height }, face(ipd));
        expect(Math.abs(sent.face.interpupillaryPx - CAPTURE_IPD)).toBeLessThanOrEqual(1);
        expect(sent.height).toBeGreaterThanOrEqual(LIVENESS.minHeight);
      }
    }
    // Past the near end the scaled frame is too short: guidance asks the visitor to move back.
    expect(faceAsSent({ height: 720 }, face(140)).height).toBeLessThan(LIVENESS.minHeight);
  });

  it('never upscales a face between 85 and 90 px', () => {
    expect(captureScale({ height: 720 }, 87)).toBe(1);
    expect(faceAsSent({ height: 720 }, face(87)).face.interpupillaryPx).toBe(87);
  });

  it('scales the box and the face size with the pupils', () => {
    const sent = faceAsSent({ height: 720 }, face(120)).face;
    expect(sent.box.width).toBeCloseTo(2.2 * 90, 6);
    expect(sent.sizePx).toBeCloseTo(270, 6);
  });
});
