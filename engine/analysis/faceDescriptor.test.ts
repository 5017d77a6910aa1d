import { describe, expect, it } from 'vitest';
import { CHIP_SIZE, chipToImage, faceChip } from './faceDescriptor';

/** A 468-point "mesh" whose alignment vertices sit where `transform` puts dlib's chip targets. */
function meshFrom(transform: { a: number; b: number; tx: number; ty: number }) {
  const mesh: [number, number, number][] = Array.from({ length: 468 }, () => [0, 0, 0]);
  // The chip targets in chip pixels (150 px, 25 % padding), as faceDescriptor.ts places them.
  const targets: Record<number, [number, number]> = {
    33: [0.1205750620789, 0.2137274526848],
    133: [0.3340850613712, 0.2290642403242],
    362: [0.6460604764104, 0.2289674387677],
    263: [0.8595674595992, 0.2134981538014],
    2: [0.4901123135679, 0.6277975316475],
  };
  for (const [index, [x, y]] of Object.entries(targets)) {
    const u = ((x + 0.25) * CHIP_SIZE) / 1.5;
    const v = ((y + 0.25) * CHIP_SIZE) / 1.5;
    mesh[Number(index)] = [transform.a * u - transform.b * v + transform.tx, transform.b * u + transform.a * v + transform.ty, 0];
  }
  return mesh;
}

describe('dlib face-chip alignment', () => {
  it('recovers the scale, rotation and shift that put the landmarks where they are', () => {
    const angle = (12 * Math.PI) / 180;
    const truth = { a: 2.4 * Math.cos(angle), b: 2.4 * Math.sin(angle), tx: 310, ty: 95 };
    const found = chipToImage(meshFrom(truth));
    for (const key of ['a', 'b', 'tx', 'ty'] as const) expect(found[key]).toBeCloseTo(truth[key], 6);
  });

  it('cuts the chip from the image through that transform, averaging over the pixels a chip pixel spans', () => {
    // A 600×600 image, left half black, right half white; the face is 3× the chip and upright,
    // so the chip's left half must come from the black side and its right half from the white.
    const width = 600;
    const data = new Uint8Array(width * width * 3);
    for (let y = 0; y < width; y += 1) for (let x = width / 2; x < width; x += 1) data.fill(255, (y * width + x) * 3, (y * width + x) * 3 + 3);
    const chip = faceChip({ data, width, height: width }, meshFrom({ a: 3, b: 0, tx: 75, ty: 75 }));
    expect(chip).toHaveLength(CHIP_SIZE * CHIP_SIZE * 3);
    const at = (u: number, v: number) => chip[(v * CHIP_SIZE + u) * 3]!;
    // Chip column u covers image x 75 + 3u .. 75 + 3(u+1): the edge x = 300 is at u = 75.
    expect(at(10, 75)).toBe(0);
    expect(at(74, 75)).toBe(0);
    expect(at(75, 75)).toBeGreaterThan(250);
    expect(at(140, 75)).toBe(255);
  });
});
