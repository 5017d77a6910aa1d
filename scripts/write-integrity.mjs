// The last build step: SHA-256 of every model, font and wasm file the kiosk ships, written into
// dist/main/integrity.json, inside the archive. A packaged kiosk checks them before its engine
// starts (main/engine/installIntegrity.ts): these files are unpacked from the archive, where
// anyone who can write the install folder could replace them.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = process.cwd();
const MODEL = /\.(bin|json|wasm|otf|traineddata(\.gz)?)$/;

/** Files under `dir` whose names match, not descending into nested node_modules. */
function walk(dir, match, depth = 6) {
  if (!existsSync(dir) || depth < 0) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : walk(path, match, depth - 1);
    return match.test(name) ? [path] : [];
  });
}

// The production packages, as the installer ships them: their wasm, and the OCR's language data.
// npm ls exits non-zero on a peer-dependency complaint while still listing every package: read its output either way.
const packages = spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { encoding: 'utf8' })
  .stdout.split('\n')
  .filter((dir) => dir && resolve(dir) !== root); // the first line is the kiosk itself
const files = [
  ...walk('dist/models', MODEL),
  ...walk('dist/renderer/models', /\.(bin|json)$/),
  ...walk('dist/renderer', /\.wasm$/),
  ...walk('node_modules/@vladmandic/human/models', /\.(bin|json)$/),
  ...packages.flatMap((dir) => walk(dir, /\.(wasm|traineddata\.gz)$/)),
]
  .map((path) => relative(root, resolve(root, path)))
  .filter((path, i, all) => !path.startsWith('..') && all.indexOf(path) === i)
  .sort();

const sha256 = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');
const manifest = { algorithm: 'sha256', files: Object.fromEntries(files.map((path) => [path, sha256(path)])) };
writeFileSync('dist/main/integrity.json', `${JSON.stringify(manifest, null, 2)}\n`);
