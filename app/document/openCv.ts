/**
 * OpenCV.js (@techstark/opencv-js, Apache-2.0), loaded once in whichever process asks: the
 * renderer's ID step, main, the benchmarks. Its wasm is embedded in the script, so nothing is
 * fetched. The module is a thenable that resolves to itself, so it is handed out inside an object
 * (awaiting it bare would never settle).
 */
import cvModule from '@techstark/opencv-js';

export type Cv = typeof cvModule;
let ready: Promise<{ cv: Cv }> | null = null;

export function openCv(): Promise<{ cv: Cv }> {
  ready ??= new Promise((resolve) => {
    const cv = cvModule as Cv & { onRuntimeInitialized?: () => void };
    if (typeof cv.Mat === 'function') resolve({ cv });
    else cv.onRuntimeInitialized = () => resolve({ cv });
  });
  return ready;
}

/** An RGBA picture as a Mat (copied into OpenCV's heap; the caller deletes it). */
export function matFromRgba(cv: Cv, image: { data: Uint8Array | Uint8ClampedArray; width: number; height: number }) {
  const data = new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length);
  return cv.matFromImageData({ data, width: image.width, height: image.height } as unknown as Parameters<Cv['matFromImageData']>[0]);
}
