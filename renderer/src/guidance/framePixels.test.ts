import { describe, expect, it } from 'vitest';
import { analysisInput, lumaSample, type FramePixels } from './framePixels';

/** A frame of one colour, given as video-range BT.601 Y, U, V, in I420 or NV12 with padded strides. */
function yuvFrame(format: 'I420' | 'NV12', width: number, height: number, yuv: (x: number, y: number) => [number, number, number]): FramePixels {
  const yStride = width + 3;
  const cw = width / 2;
  const ch = height / 2;
  const cStride = format === 'I420' ? cw + 1 : width + 2;
  const ySize = yStride * height;
  const planes = format === 'I420' ? [ySize, ySize + cStride * ch].map((offset) => offset) : [ySize];
  const data = new Uint8Array(ySize + cStride * ch * (format === 'I420' ? 2 : 1));
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * yStride + x] = yuv(x, y)[0];
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) {
      const [, u, v] = yuv(2 * x, 2 * y);
      if (format === 'I420') {
        data[planes[0]! + y * cStride + x] = u;
        data[planes[1]! + y * cStride + x] = v;
      } else {
        data[ySize + y * cStride + 2 * x] = u;
        data[ySize + y * cStride + 2 * x + 1] = v;
      }
    }
  }
  return {
    width,
    height,
    format,
    data,
    planes: [{ offset: 0, stride: yStride }, ...planes.map((offset) => ({ offset, stride: cStride }))],
    limitedRange: true,
  };
}

function rgbaFrame(format: 'RGBA' | 'BGRA', width: number, height: number, rgb: (x: number, y: number) => [number, number, number]): FramePixels {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = rgb(x, y);
      data.set(format === 'RGBA' ? [r, g, b, 255] : [b, g, r, 255], (y * width + x) * 4);
    }
  }
  return { width, height, format, data, planes: [{ offset: 0, stride: width * 4 }], limitedRange: false };
}

const pixel = (input: Float32Array, side: number, x: number, y: number) => [...input.subarray((y * side + x) * 3, (y * side + x) * 3 + 3)].map(Math.round);

describe('camera frame pixels', () => {
  it('reads video-range YUV as the browser draws it: mid grey, and BT.601 red, green and blue', () => {
    // Video-range BT.601 codes of sRGB's primaries and of grey 128.
    const colours: Array<[[number, number, number], [number, number, number]]> = [
      [
        [126, 128, 128],
        [128, 128, 128],
      ],
      [
        [81, 90, 240],
        [255, 0, 0],
      ],
      [
        [145, 54, 34],
        [0, 255, 0],
      ],
      [
        [41, 240, 110],
        [0, 0, 255],
      ],
    ];
    for (const format of ['I420', 'NV12'] as const) {
      for (const [yuv, rgb] of colours) {
        const { pixels, side } = analysisInput(
          yuvFrame(format, 8, 8, () => yuv),
          8,
        );
        const got = pixel(pixels, side, 3, 3);
        got.forEach((v, i) => expect(Math.abs(v - rgb[i]!), `${format} ${yuv.join(',')} → ${got.join(',')}`).toBeLessThanOrEqual(3));
      }
    }
  });

  it('scales to the analysis side with 2×2 means and letterboxes into a black square at the top left', () => {
    // 16×8, white left half and black right half, analysed at 8: an 8×8 square, picture on top.
    const frame = rgbaFrame('BGRA', 16, 8, (x) => (x < 8 ? [255, 255, 255] : [0, 0, 0]));
    const { pixels, side, factor } = analysisInput(frame, 8);
    expect({ side, factor }).toEqual({ side: 8, factor: 0.5 });
    expect(pixel(pixels, side, 0, 0)).toEqual([255, 255, 255]);
    expect(pixel(pixels, side, 3, 3)).toEqual([255, 255, 255]);
    expect(pixel(pixels, side, 4, 3)).toEqual([0, 0, 0]);
    // Below the picture: the letterbox.
    for (let y = 4; y < 8; y++) for (let x = 0; x < 8; x++) expect(pixel(pixels, side, x, y)).toEqual([0, 0, 0]);
    // A reused buffer is overwritten whole, the letterbox included.
    const reused = new Float32Array(8 * 8 * 3).fill(99);
    expect(analysisInput(frame, 8, reused).pixels).toBe(reused);
    expect(pixel(reused, 8, 7, 7)).toEqual([0, 0, 0]);
  });

  it('keeps red and blue apart in RGBA and BGRA frames', () => {
    for (const format of ['RGBA', 'BGRA'] as const) {
      const { pixels, side } = analysisInput(
        rgbaFrame(format, 4, 4, () => [200, 100, 10]),
        4,
      );
      expect(pixel(pixels, side, 1, 1)).toEqual([200, 100, 10]);
    }
  });

  it('samples the luma of a region: a horizontal ramp keeps its order and its mean', () => {
    // Video-range luma from 16 to 235 across 220 pixels: 0..255 once stretched.
    const frame = yuvFrame('I420', 220, 20, (x) => [16 + x, 128, 128]);
    const sample = lumaSample(frame, { x: 0, y: 0, width: 220, height: 20 }, 10);
    const row = [...sample.subarray(0, 10)];
    expect(row).toEqual([...row].sort((a, b) => a - b));
    expect(row[0]).toBeLessThan(20);
    expect(row[9]).toBeGreaterThan(235);
    expect(row.reduce((a, b) => a + b, 0) / 10).toBeCloseTo(127.5, -1);
    // A box partly outside the frame reads the frame's edge, never out of bounds.
    const edge = lumaSample(frame, { x: 200, y: -5, width: 40, height: 30 }, 4);
    expect(edge.every((v) => Number.isFinite(v) && v >= 0 && v <= 255)).toBe(true);
  });
});
