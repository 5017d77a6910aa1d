/**
 * OpenCV.js (@techstark/opencv-js, Apache-2.0), loaded once, in Node: main, the benchmarks, the
 * tests. Its wasm is embedded in the script, so nothing is fetched. It is required, not imported:
 * the module object is a thenable that resolves to itself, and an ESM loader that awaits a
 * default export (vitest's interop) would never settle; for the same reason it is handed out
 * inside an object.
 */
import { createRequire } from 'node:module';
import type { Cv } from '../../app/document/openCv';

let ready: Promise<{ cv: Cv }> | null = null;

export function openCv(): Promise<{ cv: Cv }> {
  ready ??= new Promise((resolve) => {
    // In the CommonJS bundle (Electron) `require` exists and import.meta does not; under tsx and vitest the reverse.
    const load = typeof require === 'function' ? require : createRequire(import.meta.url);
    const cv = load('@techstark/opencv-js') as Cv & { onRuntimeInitialized?: () => void };
    if (typeof cv.Mat === 'function') resolve({ cv });
    else cv.onRuntimeInitialized = () => resolve({ cv });
  });
  return ready;
}
