// Copies the in-browser detector's models and tfjs wasm binaries from node_modules into the
// renderer's public folder, so the app serves them itself and works offline. Never committed.
import { cpSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const out = join(import.meta.dirname, '..', 'renderer', 'public');
const humanModels = join(dirname(require.resolve('@vladmandic/human')), '..', 'models');
const wasmDist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));

// Only what DETECTOR_CONFIG loads (renderer/src/services/detector.ts).
const MODELS = ['blazeface', 'facemesh', 'iris'];
mkdirSync(join(out, 'models'), { recursive: true });
for (const model of MODELS) {
  for (const ext of ['json', 'bin']) cpSync(join(humanModels, `${model}.${ext}`), join(out, 'models', `${model}.${ext}`));
}
mkdirSync(join(out, 'wasm'), { recursive: true });
for (const file of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
  cpSync(join(wasmDist, file), join(out, 'wasm', file));
}
if (!process.argv.includes('--quiet')) console.log(`detector assets copied to ${out}`);
