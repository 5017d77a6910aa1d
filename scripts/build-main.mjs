// Bundles Electron's main and preload into dist/main as CommonJS (.cjs, because package.json says
// "type": "module"). The sandboxed preload can only require('electron'), so it must be one file.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  // Native modules stay in node_modules (unpacked from asar); electron is provided at run time.
  external: ['electron', 'keytar', 'sharp'],
};

await build({ ...common, entryPoints: { index: 'main/index.ts', preload: 'main/preload.ts' }, outdir: 'dist/main', outExtension: { '.js': '.cjs' } });
