/**
 * `npm run engine -- --signing-key-file key --port 8787 --user admin --password-file pw.txt` (or
 * the password in BIOINTELLIC_ENGINE_PASSWORD, or on standard input with `--password-file -`)
 * starts the Biointellic engine as a service. Never the password on the command line: every user
 * of the machine can read it there. The signing key (base64 of 32+ random bytes) is required:
 * replicas share it, and the engine refuses to start on a weak or missing one. Settings come from
 * the command line, then the environment (BIOINTELLIC_ENGINE_{HOST,PORT,WORKERS,USER,PASSWORD,
 * USERS_FILE,SIGNING_KEY_FILE,DEBUG_DIR,TOKEN_TTL,LIVENESS_PASS}), then a JSON file (`--config`,
 * BIOINTELLIC_ENGINE_CONFIG: serviceConfig.ts). Logs are JSON lines on standard output; SIGTERM
 * drains the requests in flight, then exits 0.
 * `npm run engine -- hash-password` reads a password on standard input and prints its hash for a
 * users file.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { startEngine } from './engine';
import { SigningKeyError, readSigningKey } from './http/signingKey';
import { hashPassword, loadUsersFile } from './http/users';
import { serviceConfig, type ServiceConfig } from './serviceConfig';

const USAGE = `Usage: npm run engine -- --signing-key-file FILE [--config FILE] [--host 127.0.0.1] [--port 8787]
                          (--user ID [--password-file FILE|-] | --users-file FILE)
                          [--token-ttl SECONDS] [--debug-dir DIR] [--workers N] [--liveness-pass P]
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
      config: { type: 'string', default: env.BIOINTELLIC_ENGINE_CONFIG },
      host: { type: 'string', default: env.BIOINTELLIC_ENGINE_HOST },
      port: { type: 'string', default: env.BIOINTELLIC_ENGINE_PORT },
      user: { type: 'string', default: env.BIOINTELLIC_ENGINE_USER },
      password: { type: 'string' },
      'password-file': { type: 'string' },
      'users-file': { type: 'string', default: env.BIOINTELLIC_ENGINE_USERS_FILE },
      'signing-key-file': { type: 'string', default: env.BIOINTELLIC_ENGINE_SIGNING_KEY_FILE },
      'token-ttl': { type: 'string', default: env.BIOINTELLIC_ENGINE_TOKEN_TTL },
      'debug-dir': { type: 'string', default: env.BIOINTELLIC_ENGINE_DEBUG_DIR },
      workers: { type: 'string', default: env.BIOINTELLIC_ENGINE_WORKERS },
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
  let config: ServiceConfig;
  try {
    config = await serviceConfig(values);
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const passwordFile = values['password-file'];
  const password = passwordFile
    ? (passwordFile === '-' ? await readStdin() : await readFile(passwordFile, 'utf8')).replace(/\r?\n$/, '')
    : env.BIOINTELLIC_ENGINE_PASSWORD;
  const users = config.usersFile
    ? await loadUsersFile(config.usersFile)
    : values.user && password
      ? new Map([[values.user, await hashPassword(password)]])
      : null;
  if (!users) {
    console.error(`Give --user with a password (BIOINTELLIC_ENGINE_PASSWORD or --password-file), or --users-file.\n${USAGE}`);
    return 2;
  }
  let signingKey: Uint8Array;
  try {
    if (!config.signingKeyFile) throw new SigningKeyError('Give --signing-key-file: the key replicas share to sign tokens ("openssl rand -base64 48 > key").');
    signingKey = await readSigningKey(config.signingKeyFile);
  } catch (error) {
    if (!(error instanceof SigningKeyError)) throw error;
    console.error(`${error.message}\n${USAGE}`);
    return 2;
  }
  const log = (record: Record<string, unknown>) => console.log(JSON.stringify({ time: new Date().toISOString(), level: 'info', ...record }));
  const started = performance.now();
  const engine = await startEngine({
    users,
    host: config.host,
    port: config.port,
    tokenTtlSeconds: config.tokenTtlSeconds,
    debugDir: config.debugDir,
    signingKey,
    log: (line) => console.log(line),
    ...(config.workers ? { workers: config.workers } : {}),
    ...(config.livenessPass !== undefined ? { livenessPass: config.livenessPass } : {}),
  });
  log({ msg: 'listening', url: engine.url, readyMs: Math.round(performance.now() - started) });
  const stop = (signal: string) => {
    log({ msg: 'draining', signal });
    void engine.close().then(() => {
      log({ msg: 'stopped' });
      process.exit(0);
    });
  };
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
