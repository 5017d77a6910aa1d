// `npm start`: launch the built kiosk in Electron; where Electron's binary is missing, say so in one
// sentence and run the same kiosk in Chromium (`npm run preview`).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

let electronPath;
try {
  // The electron package exports the path of its downloaded binary, and throws when there is none.
  electronPath = createRequire(import.meta.url)('electron');
} catch {
  electronPath = null;
}
const electron = typeof electronPath === 'string' && existsSync(electronPath);
if (!electron) {
  console.error(
    'The Electron binary is not installed on this machine (it was installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1), so the kiosk window cannot open here; starting `npm run preview` instead, the same kiosk in Chromium.',
  );
}
// Two malloc arenas, set here so the kiosk need not relaunch itself for it (main/shell/allocator.ts).
const env = { ...process.env, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' };
const child = electron
  ? spawn(electronPath, ['.', ...process.argv.slice(2)], { stdio: 'inherit', env })
  : spawn('npm', ['run', 'preview', '--', ...process.argv.slice(2)], { stdio: 'inherit', env });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
