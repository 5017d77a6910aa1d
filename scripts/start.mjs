// `npm start`: build the kiosk (its output shown only if it fails), then launch it in Electron;
// where Electron's binary is missing, say so in one sentence and run the same kiosk in Chromium
// (`npm run preview`, whose build the first step has done).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The Electron binary's path, or null when it was never downloaded. Read from the package's own
 * path.txt and dist/ (what its index.js reads) instead of requiring the package: requiring it now
 * starts a download where the binary is missing, which fails offline with a stack trace.
 */
function electronBinary() {
  try {
    const dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
    const name = readFileSync(join(dir, 'path.txt'), 'utf8').trim();
    const path = join(override ?? join(dir, 'dist'), name);
    return existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

console.error('Building the kiosk…');
const build = spawnSync('npm', ['run', '--silent', 'build'], { encoding: 'utf8' });
if (build.status !== 0) {
  process.stderr.write(`${build.stdout ?? ''}${build.stderr ?? ''}`);
  console.error(build.error ? `The build could not start: ${build.error.message}` : 'The build failed (above); nothing was started.');
  process.exit(1);
}

const electronPath = electronBinary();
const electron = electronPath !== null;
if (!electron) {
  console.error(
    'Electron is not installed on this machine, so the kiosk window cannot open here: starting the same kiosk in Chromium instead (`npm run preview`).',
  );
}
// Two malloc arenas, set here so the kiosk need not relaunch itself for it (main/shell/allocator.ts).
const env = { ...process.env, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' };
const child = electron
  ? spawn(electronPath, ['.', ...process.argv.slice(2)], { stdio: 'inherit', env })
  : spawn(process.execPath, ['--import', 'tsx', 'scripts/preview.ts', ...process.argv.slice(2)], { stdio: 'inherit', env });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
