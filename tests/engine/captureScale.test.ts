/**
 * Main scales every live capture so the pupils are 90 px apart (app/captureGeometry.ts): a
 * visitor who stands close is captured and the service still receives an image in the middle of
 * its window. Measured here as the engine measures it, on real faces from the npm sample photos
 * framed as a 720p and a 1080p camera sees them across the distance range.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { distanceRange } from '../../app/captureGeometry';
import { livenessRejection } from '../../app/faceRules';
import { analyze } from '../../engine/analysis/analyze';
import { engineConfig, loadHuman } from '../../engine/analysis/humanNode';
import { normalizeForLiveness } from '../../main/imaging/normalize';
import { cameraFrame } from '../../harness/fakeCamera';

const config = engineConfig(['detector', 'mesh', 'iris']);
let human: Awaited<ReturnType<typeof loadHuman>>;
beforeAll(async () => {
  human = await loadHuman(config);
});

describe('capture scaled to 90 px between the pupils', () => {
  const near = distanceRange({ height: 720 }).maxIpd;
  for (const ipd of [90, 110, Math.round(near * 0.9)]) {
    it(`turns a 720p frame with the pupils ~${ipd} px apart into one the engine measures inside 85–95 px`, async () => {
      const frame = await cameraFrame('C', ipd);
      const seen = (await analyze(human, config, frame)).faces[0]!;
      const sent = await normalizeForLiveness(frame, { interpupillaryPx: seen.interpupillaryPx });
      const measured = await analyze(human, config, sent.bytes);
      // The engine measures the scaled face within its own noise (~2 px) of 90.
      expect(Math.abs(measured.faces[0]!.interpupillaryPx - Math.min(90, seen.interpupillaryPx))).toBeLessThanOrEqual(3);
      expect(sent.height).toBeGreaterThanOrEqual(480);
      // Every rule of the service's, the document's 85–95 included, holds on what is sent.
      expect(livenessRejection(measured.faces)).toBeNull();
      expect(measured.faces[0]!.interpupillaryPx).toBeGreaterThanOrEqual(85);
      expect(measured.faces[0]!.interpupillaryPx).toBeLessThanOrEqual(95);
    });
  }
});
