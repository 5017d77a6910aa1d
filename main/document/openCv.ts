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
    // Emscripten's Node glue hooks the process: an unhandled rejection anywhere would abort OpenCV
    // for good, and an uncaught exception is rethrown. Main's handling of both stays main's own.
    const before = { rejection: process.listeners('unhandledRejection'), exception: process.listeners('uncaughtException') };
    const cv = nodeRequire('@techstark/opencv-js') as Cv & { onRuntimeInitialized?: () => void };
    for (const listener of process.listeners('unhandledRejection')) if (!before.rejection.includes(listener)) process.off('unhandledRejection', listener);
    for (const listener of process.listeners('uncaughtException')) if (!before.exception.includes(listener)) process.off('uncaughtException', listener);
    if (typeof cv.Mat === 'function') resolve({ cv });
    else cv.onRuntimeInitialized = () => resolve({ cv });
  });
  return ready;
}
