// `npm start`: launch the built kiosk in Electron, or say in one sentence why it cannot start here.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

let electronPath = null;
try {
  // The electron package exports the path of its downloaded binary, and throws when there is none.
  electronPath = createRequire(import.meta.url)('electron');
} catch {
  electronPath = null;
}
if (typeof electronPath !== 'string' || !existsSync(electronPath)) {
  console.error(
    "The Electron binary is not installed on this machine (it was installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1), so the kiosk window cannot open here: run `npm run preview` to use the kiosk in Chromium instead.",
  );
  process.exit(1);
}
const child = spawn(electronPath, ['.', ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
