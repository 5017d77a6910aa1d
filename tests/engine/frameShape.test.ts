/**
 * Human's detector squeezes a non-square frame into its square input; the engine letterboxes
 * every frame first (app/humanFace.ts), so a face measures the same whatever the camera's shape.
 * Without the letterbox, this crop measured 24 % wider between the pupils in a 1280×720 frame;
 * with it, within 3.4 % in every shape here.
 */
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../engine/analysis/analyze';
import { engineConfig, loadHuman } from '../../engine/analysis/humanNode';
import { faceCrop } from '../../harness/faces';

const config = engineConfig(['detector', 'mesh', 'iris']);
let human: Awaited<ReturnType<typeof loadHuman>>;
let crop: Buffer;

beforeAll(async () => {
  human = await loadHuman(config);
  // ~620 px square around person C.
  crop = await sharp(await faceCrop('C', { margin: 0.9 }))
    .resize(620, 620, { fit: 'cover' })
    .png()
    .toBuffer();
});

async function measuredIn(width: number, height: number) {
  const left = Math.round((width - 620) / 2);
  const top = Math.round((height - 620) / 2);
  const frame = await sharp(crop)
    .extend({ left, top, right: width - 620 - left, bottom: height - 620 - top, background: '#777' })
    .png()
    .toBuffer();
  const face = (await analyze(human, config, frame)).faces[0]!;
  return { ipd: face.interpupillaryPx, x: face.box.x - left, y: face.box.y - top, width: face.box.width };
}

describe('frame shape', () => {
  it('measures a face alike in square, landscape and portrait frames', async () => {
    const square = await measuredIn(620, 620);
    for (const [width, height] of [
      [1280, 720],
      [720, 1280],
      [1280, 1280],
    ] as const) {
      const other = await measuredIn(width, height);
      expect(Math.abs(other.ipd - square.ipd) / square.ipd, `${width}×${height}`).toBeLessThan(0.05);
      // Coordinates need no shift back: the picture sits at the letterbox's top left.
      expect(Math.abs(other.x - square.x) / square.width, `${width}×${height}`).toBeLessThan(0.05);
      expect(Math.abs(other.y - square.y) / square.width, `${width}×${height}`).toBeLessThan(0.05);
    }
  });
});
