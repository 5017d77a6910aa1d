import { describe, expect, it } from 'vitest';
import { MINIFASNET, MINIFASNET_INPUT, REFERENCE_BOX, cropWindow, modelInput, referenceBox } from './antispoof';

describe("MiniFASNet's crop geometry (the reference's CropImage._get_new_box)", () => {
  it('uses the 2.7× and 4.0× windows of the reference models', () => {
    expect(MINIFASNET.map((m) => [m.name, m.scale])).toEqual([
      ['MiniFASNetV2', 2.7],
      ['MiniFASNetV1SE', 4],
    ]);
  });

  it('maps Human’s mesh box to the reference detector’s: wider, reaching below the chin, same centre line', () => {
    const mesh = { x: 100, y: 50, width: 200, height: 240 };
    const box = referenceBox(mesh);
    expect(box.width).toBeCloseTo(200 * REFERENCE_BOX.widen);
    expect(box.x + box.width / 2).toBeCloseTo(200);
    expect(box.y).toBeCloseTo(50 + REFERENCE_BOX.top * 240);
    expect(box.y + box.height).toBeCloseTo(290 + REFERENCE_BOX.bottom * 240);
  });

  it('centres a window of scale × the box on it when it fits', () => {
    // Box 99.5 wide → the reference's int(right - left + 1) = 100; 2× → 200 × 240 around (450, 360).
    const w = cropWindow({ width: 1280, height: 720 }, { x: 400, y: 300, width: 99.5, height: 119.5 }, 2);
    expect(w).toEqual({ left: 350, top: 240, right: 550, bottom: 480 });
  });

  it('lowers the scale until the window fits the image', () => {
    // 4× a 100 px box would be 400 px; the image is 300 high, so the scale becomes (300 − 1) / 100.
    const w = cropWindow({ width: 640, height: 300 }, { x: 270, y: 100, width: 99, height: 99 }, 4);
    expect(w.bottom - w.top).toBe(299);
    expect(w.right - w.left).toBe(299);
  });

  it('shifts a window that crosses an edge back inside, keeping its size', () => {
    const w = cropWindow({ width: 1280, height: 720 }, { x: 10, y: 600, width: 99, height: 99 }, 2.7);
    expect(w.left).toBe(0);
    expect(w.bottom).toBe(719);
    expect(w.right - w.left).toBe(270);
    expect(w.bottom - w.top).toBe(270);
  });
});

describe("MiniFASNet's input tensor", () => {
  const image = (width: number, height: number, pixel: (x: number, y: number) => [number, number, number]) => {
    const data = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y += 1) for (let x = 0; x < width; x += 1) data.set(pixel(x, y), (y * width + x) * 3);
    return { data, width, height };
  };
  const n = MINIFASNET_INPUT;
  const at = (input: Float32Array, channel: number, y: number, x: number) => input[channel * n * n + y * n + x];

  it('is 3 × 80 × 80 float32 in BGR order (CHW) with values 0..255, not divided by 255', () => {
    const input = modelInput(
      image(64, 48, () => [10, 100, 200]),
      { left: 0, top: 0, right: 63, bottom: 47 },
    );
    expect(input).toBeInstanceOf(Float32Array);
    expect(input.length).toBe(3 * 80 * 80);
    expect([at(input, 0, 40, 40), at(input, 1, 40, 40), at(input, 2, 40, 40)]).toEqual([200, 100, 10]);
  });

  it('cuts exactly the window (inclusive bounds) before resizing, rounded to 8 bits as OpenCV does', () => {
    // Black left of x = 100, white from it; the 160-px window 20..179 puts the edge in the middle
    // of the 80 px output, and half-pixel centres sample output column 40 at source x = 100.5.
    const input = modelInput(
      image(200, 200, (x) => (x < 100 ? [0, 0, 0] : [255, 255, 255])),
      { left: 20, top: 20, right: 179, bottom: 179 },
    );
    expect([at(input, 0, 10, 0), at(input, 0, 10, 39), at(input, 0, 10, 40), at(input, 0, 10, 79)]).toEqual([0, 0, 255, 255]);
    // A window one pixel to the left moves the edge: column 40 now samples x = 99.5, half grey.
    const shifted = modelInput(
      image(200, 200, (x) => (x < 100 ? [0, 0, 0] : [255, 255, 255])),
      { left: 19, top: 20, right: 178, bottom: 179 },
    );
    expect(at(shifted, 0, 10, 40)).toBe(128);
  });

  it('matches OpenCV INTER_LINEAR on a gradient, including its repeated edge pixels', () => {
    // A horizontal ramp 0..159 shrunk 2×: OpenCV gives round(2x + 0.5) inside, and repeats the last column at the edge.
    const input = modelInput(
      image(160, 160, (x) => [x, x, x]),
      { left: 0, top: 0, right: 159, bottom: 159 },
    );
    expect(at(input, 1, 0, 0)).toBe(1);
    expect(at(input, 1, 0, 10)).toBe(21);
    expect(at(input, 1, 0, 79)).toBe(159);
  });
});
