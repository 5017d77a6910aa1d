/**
 * OpenCV.js (@techstark/opencv-js, Apache-2.0), loaded once, in Node: main, the benchmarks, the
 * tests. Its wasm is embedded in the script, so nothing is fetched. It is required, not imported:
 * the module object is a thenable that resolves to itself, and an ESM loader that awaits a
 * default export (vitest's interop) would never settle; for the same reason it is handed out
 * inside an object.
 */
import { nodeRequire } from './nodeRequire';
import type { Cv } from '../../app/document/openCv';

let ready: Promise<{ cv: Cv }> | null = null;

export function openCv(): Promise<{ cv: Cv }> {
  ready ??= new Promise((resolve) => {
    const cv = nodeRequire('@techstark/opencv-js') as Cv & { onRuntimeInitialized?: () => void };
    if (typeof cv.Mat === 'function') resolve({ cv });
    else cv.onRuntimeInitialized = () => resolve({ cv });
  });
  return ready;
}
