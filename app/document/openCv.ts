/**
 * OpenCV.js's type and the one conversion every user needs. Loading it is the process's own
 * business (main/document/openCv.ts in Node).
 */
import type cvModule from '@techstark/opencv-js';

export type Cv = typeof cvModule;

/** An RGBA picture as a Mat (copied into OpenCV's heap; the caller deletes it). */
export function matFromRgba(cv: Cv, image: { data: Uint8Array | Uint8ClampedArray; width: number; height: number }) {
  const data = new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length);
  return cv.matFromImageData({ data, width: image.width, height: image.height } as unknown as Parameters<Cv['matFromImageData']>[0]);
}
