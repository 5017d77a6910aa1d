/**
 * Presence of a whole person around a face: the liveness evidence of the built-in engine.
 *
 * A visitor at the counter is a person in a room: head, neck and shoulders. A face replayed on a
 * phone or tablet, or printed, is cut off by the device's or the sheet's edge, flat and lit by
 * itself, and a person detector trained on real scenes (Human's CenterNet, COCO "person") is far
 * less sure it sees someone. The detector looks at a standard head-and-shoulders crop around the
 * face, so the score does not depend on how much of the room the camera sees. Measured, with its
 * limits, in docs/accuracy.md ("Liveness").
 */
import type { Config, Human } from '@vladmandic/human';
import type { FaceMetrics } from '../../app/faceRules';

type Box = FaceMetrics['box'];

/** Face widths either side, face heights above and below: a head-and-shoulders portrait. */
const BUST = { side: 1.5, above: 0.8, below: 2.5 } as const;
/** CenterNet's own input size: the crop is resampled to it once instead of twice. */
const DETECTOR_INPUT = 512;
/** Outside the image the crop is mid-grey, as neutral as a wall. */
const OUTSIDE = 128;

export function bustRegion(face: Box): Box {
  return {
    x: face.x - BUST.side * face.width,
    y: face.y - BUST.above * face.height,
    width: face.width * (1 + 2 * BUST.side),
    height: face.height * (1 + BUST.above + BUST.below),
  };
}

/** The best "person" confidence among boxes holding the face's centre; 0 when none does. */
export function personHolding(face: Box, people: ReadonlyArray<{ score: number; box: Box }>): number {
  const cx = face.x + face.width / 2;
  const cy = face.y + face.height / 2;
  const holding = people.filter(({ box }) => cx >= box.x && cx <= box.x + box.width && cy >= box.y && cy <= box.y + box.height);
  return Math.max(0, ...holding.map((p) => p.score));
}

/**
 * 0..1: how sure the person detector is that someone holds `face` (in the pixels of `image`, an
 * RGB image of `width`×`height`), looking at the face's head-and-shoulders crop.
 */
export async function personScore(
  human: Human,
  config: Partial<Config>,
  image: { data: Uint8Array; width: number; height: number },
  face: Box,
): Promise<number> {
  const { tf } = human;
  const region = bustRegion(face);
  const { width, height } = image;
  // Human's bundled tfjs has no chained tensor methods: functional ops only.
  const crop = tf.tidy(() => {
    const pixels = tf.cast(tf.tensor4d(image.data, [1, height, width, 3], 'int32'), 'float32');
    // Normalised [y1, x1, y2, x2]; beyond 0..1 is filled with OUTSIDE.
    const box = [[region.y / height, region.x / width, (region.y + region.height) / height, (region.x + region.width) / width]];
    const resized = tf.image.cropAndResize(pixels, box, [0], [DETECTOR_INPUT, DETECTOR_INPUT], 'bilinear', OUTSIDE);
    return tf.cast(tf.squeeze(resized, [0]), 'int32');
  });
  try {
    const result = await human.detect(crop, config);
    const scale = { x: region.width / DETECTOR_INPUT, y: region.height / DETECTOR_INPUT };
    const people = result.object
      .filter((o) => o.label === 'person')
      .map(({ score, box: [x, y, w, h] }) => ({
        score,
        box: { x: region.x + x * scale.x, y: region.y + y * scale.y, width: w * scale.x, height: h * scale.y },
      }));
    return Math.min(1, personHolding(face, people));
  } finally {
    tf.dispose(crop);
  }
}
