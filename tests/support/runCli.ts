import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

const ROOT = join(import.meta.dirname, '..', '..');

/**
 * Runs the real CLI (`npm run cli` minus npm) in a child process with its own data directory;
 * `script` runs another command line instead (e.g. the engine's).
 */
export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; stdin?: string; dataDir?: string; script?: string } = {}): Promise<CliRun> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'kiosk-cli-'));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, options.script ?? 'main/cli/index.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, BIOINTELLIC_PASSWORD: '', KIOSK_DATA_DIR: dataDir, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}
