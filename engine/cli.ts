/**
 * `npm run engine -- --port 8787 --user admin --password-file pw.txt` (or the password in
 * BIOINTELLIC_ENGINE_PASSWORD, or on standard input with `--password-file -`) starts the local
 * Biointellic engine. Never on the command line: every user of the machine can read it there.
 * `npm run engine -- hash-password` reads a password on standard input and prints its hash for a
 * users file. Environment: BIOINTELLIC_ENGINE_{HOST,PORT,USER,PASSWORD,USERS_FILE,DEBUG_DIR,LIVENESS_PASS}.
 */
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseLivenessPass } from './analysis/scores';
import { startEngine } from './engine';
import { hashPassword, loadUsersFile } from './http/users';

const USAGE = `Usage: npm run engine -- [--host 127.0.0.1] [--port 8787] (--user ID [--password-file FILE|-] | --users-file FILE)
                          [--token-ttl SECONDS] [--debug-dir DIR] [--workers N]
       npm run engine -- hash-password   < password`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function main(): Promise<number> {
  const env = process.env;
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      host: { type: 'string', default: env.BIOINTELLIC_ENGINE_HOST ?? '127.0.0.1' },
      port: { type: 'string', default: env.BIOINTELLIC_ENGINE_PORT ?? '8787' },
      user: { type: 'string', default: env.BIOINTELLIC_ENGINE_USER },
      password: { type: 'string' },
      'password-file': { type: 'string' },
      'users-file': { type: 'string', default: env.BIOINTELLIC_ENGINE_USERS_FILE },
      'token-ttl': { type: 'string', default: '3600' },
      'debug-dir': { type: 'string', default: env.BIOINTELLIC_ENGINE_DEBUG_DIR ?? join(tmpdir(), 'biointellic-engine-debug') },
      workers: { type: 'string' },
      'liveness-pass': { type: 'string', default: env.BIOINTELLIC_ENGINE_LIVENESS_PASS },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals[0] === 'hash-password') {
    const password = (await readStdin()).replace(/\r?\n$/, '');
    if (!password) throw new Error('no password on standard input');
    console.log(await hashPassword(password));
    return 0;
  }
  if (values.password !== undefined) {
    console.error(
      `--password is refused: a command line is visible to every user of the machine. Put the password in BIOINTELLIC_ENGINE_PASSWORD, in a file (--password-file FILE), or on standard input (--password-file -).\n${USAGE}`,
    );
    return 2;
  }
  const passwordFile = values['password-file'];
  const password = passwordFile
    ? (passwordFile === '-' ? await readStdin() : await readFile(passwordFile, 'utf8')).replace(/\r?\n$/, '')
    : env.BIOINTELLIC_ENGINE_PASSWORD;
  const users = values['users-file']
    ? await loadUsersFile(values['users-file'])
    : values.user && password
      ? new Map([[values.user, await hashPassword(password)]])
      : null;
  if (!users) {
    console.error(`Give --user with a password (BIOINTELLIC_ENGINE_PASSWORD or --password-file), or --users-file.\n${USAGE}`);
    return 2;
  }
  let livenessPass: number | undefined;
  try {
    livenessPass = parseLivenessPass(values['liveness-pass']);
  } catch (error) {
    console.error(`--liveness-pass: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const started = performance.now();
  const engine = await startEngine({
    users,
    host: values.host,
    port: Number(values.port),
    tokenTtlSeconds: Number(values['token-ttl']),
    debugDir: values['debug-dir'],
    ...(values.workers ? { workers: Number(values.workers) } : {}),
    ...(livenessPass !== undefined ? { livenessPass } : {}),
  });
  console.log(`Biointellic engine listening on ${engine.url} (ready in ${Math.round(performance.now() - started)} ms)`);
  const stop = () => void engine.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return -1;
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    console.error(`engine: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
