// Bundles what Electron runs: main and preload as CommonJS (.cjs, because package.json says
// "type": "module"; the sandboxed preload can only require('electron'), so it must be one file),
// and the engine's analysis worker as ESM (.mjs: it uses top-level await).
import { cpSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // Native modules and the face models' packages stay in node_modules (unpacked from asar).
  // The MRZ's OCR starts its own worker thread from its package's files, and OpenCV.js is
  // required at run time (main/document/openCv.ts): both stay in node_modules too.
  external: ['electron', 'keytar', 'sharp', 'better-sqlite3', '@vladmandic/human', '@tensorflow/*', 'tesseract.js', '@techstark/opencv-js'],
};

const main = await build({
  ...common,
  metafile: true,
  format: 'cjs',
  entryPoints: { index: 'main/index.ts', preload: 'main/preload.ts' },
  outdir: 'dist/main',
  outExtension: { '.js': '.cjs' },
  // import.meta only appears in code paths the bundle never takes (tsx workers in development).
  logOverride: { 'empty-import-meta': 'silent' },
});
const worker = await build({
  ...common,
  metafile: true,
  format: 'esm',
  entryPoints: { analysisWorker: 'engine/analysis/worker.ts' },
  outdir: 'dist/main',
  outExtension: { '.js': '.mjs' },
});

// What each bundle still loads from node_modules at run time: the packaging check reads this.
const externals = Object.fromEntries(
  [main, worker]
    .flatMap((r) => Object.entries(r.metafile.outputs))
    .filter(([file]) => !file.endsWith('.map'))
    .map(([file, output]) => [file, [...new Set(output.imports.filter((i) => i.external).map((i) => i.path))].sort()]),
);
writeFileSync('dist/main/externals.json', `${JSON.stringify(externals, null, 2)}\n`);

// The vendored anti-spoofing models, where the bundled worker looks for them (../models from dist/main).
cpSync('engine/models', 'dist/models', { recursive: true });
