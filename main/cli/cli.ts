import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { KioskError, toErrorData, type ErrorCode, type KioskErrorData } from '../../app/errors';
import { MATCH } from '../../app/imageRequirements';
import { createBiointellicClient } from '../biointellic/client';
import { keychainAccount, requiredPassword, type CredentialStore } from '../credentials/keychain';
import { readSettings } from '../settings/settingsFile';
import { normalizeForLiveness, normalizeForMatch } from '../imaging/normalize';
import { createLogger } from '../log';
import { provision, provisioningKey } from './provision';
import { stationStatus } from './status';
import { verifyAudit } from './auditVerify';

export const EXIT = { pass: 0, fail: 1, rejected: 2, connection: 3 } as const;

export const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  auth                       authenticate and print when the token expires (never the token)
  liveness <image>           check that the face in <image> is live
  match <image1> <image2>    compare the faces in two images
  set-password               read a password from standard input into the OS keychain
  provision                  set this station up (IT): the staff PIN from standard input, and
                             --backend local | --backend URL --user ID, [--station NAME],
                             [--checks-at-once] (a hosted service: liveness and match sent
                             together, a verdict sooner for a match call per refused capture),
                             [--audit-collector HOST:PORT --audit-collector-ca CA.pem] (every
                             audit record also sent to the bank's collector, syslog over TLS);
                             --out FILE writes a provisioning file for an installer or MDM instead,
                             signed with --sign KEY [--serial N] (a set-up station applies only
                             a file signed by the key it trusts, with a newer serial);
                             --trust-key PUB makes the station trust IT's public key;
                             on a set-up station: the current PIN, then the new one, on two lines
  provisioning-key --out DIR a new IT key pair for signing provisioning files
  status                     the station as the kiosk would load it (set up, backend, debug,
                             lockouts, a provisioning file waiting and whether it would be
                             applied); changes nothing
  audit verify               check every audit record against its seal and its link to the one
                             before; names the first that does not hold (exit 1)

Options:
  --url URL       service base URL (default: the kiosk's settings)
  --user ID       user id (default: the kiosk's settings)
  --debug         ask the service to keep the uploaded images (?debug=true)
  --json          print one JSON object: {"ok":true,"data":…} or {"ok":false,"error":…}
  --timeout SEC   per-request timeout (default 30)

The password comes from BIOINTELLIC_PASSWORD or the OS keychain (account user@host), never a flag.
Exit codes: 0 pass, 1 fail, 2 rejected or invalid input, 3 connection or authentication error.`;

export interface CliDeps {
  env: NodeJS.ProcessEnv;
  dataDir: string;
  store: CredentialStore;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => Promise<string>;
  fetch?: typeof fetch;
}

const INPUT_ERRORS = new Set<ErrorCode>([
  'pin_rejected',
  'face_rejected',
  'image_invalid',
  'image_too_small',
  'image_too_large',
  'settings_invalid',
  'invalid_request',
]);

export function exitCodeFor(code: ErrorCode): number {
  return INPUT_ERRORS.has(code) ? EXIT.rejected : EXIT.connection;
}

export async function runCli(argv: string[], deps: CliDeps): Promise<number> {
  let json = argv.includes('--json');
  const print = (data: unknown, text: string) => deps.stdout(json ? `${JSON.stringify({ ok: true, data })}\n` : `${text}\n`);
  const fail = (error: KioskErrorData) => {
    if (json) deps.stdout(`${JSON.stringify({ ok: false, error })}\n`);
    else deps.stderr(`error [${error.code}]: ${error.message}\n`);
    return exitCodeFor(error.code);
  };
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        url: { type: 'string' },
        user: { type: 'string' },
        debug: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        timeout: { type: 'string' },
        backend: { type: 'string' },
        station: { type: 'string' },
        out: { type: 'string' },
        'if-not-set-up': { type: 'boolean', default: false },
        'checks-at-once': { type: 'boolean', default: false },
        'audit-collector': { type: 'string' },
        'audit-collector-ca': { type: 'string' },
        sign: { type: 'string' },
        serial: { type: 'string' },
        'trust-key': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    json = values.json;
    const [command, ...files] = positionals;
    if (values.help || !command) {
      deps.stdout(`${USAGE}\n`);
      return values.help ? EXIT.pass : EXIT.rejected;
    }
    const expected: Record<string, number> = { auth: 0, liveness: 1, match: 2, 'set-password': 0, provision: 0, 'provisioning-key': 0, status: 0, audit: 1 };
    if (!(command in expected)) throw new KioskError('invalid_request', `Unknown command "${command}".\n${USAGE}`);
    if (files.length !== expected[command]) {
      throw new KioskError('invalid_request', `"${command}" takes ${expected[command]} file argument(s).\n${USAGE}`);
    }

    if (command === 'status') {
      const done = await stationStatus(deps.dataDir);
      print(done.data, done.text);
      return EXIT.pass;
    }
    if (command === 'audit') {
      if (files[0] !== 'verify') throw new KioskError('invalid_request', `"audit" takes one action: verify.\n${USAGE}`);
      const done = await verifyAudit(deps.dataDir, deps.store);
      print(done.data, done.text);
      return done.data.broken ? EXIT.fail : EXIT.pass;
    }
    if (command === 'provisioning-key') {
      const done = await provisioningKey(values.out);
      print(done.data, done.text);
      return EXIT.pass;
    }
    if (command === 'provision') {
      const { backend, user, station, out, sign, serial } = values;
      const options = {
        backend,
        user,
        station,
        out,
        sign,
        serial,
        trustKey: values['trust-key'],
        ifNotSetUp: values['if-not-set-up'],
        checksAtOnce: values['checks-at-once'],
        auditCollector: values['audit-collector'],
        auditCollectorCa: values['audit-collector-ca'],
      };
      const done = await provision(options, await deps.readStdin(), deps.dataDir, deps.store);
      print(done.data, done.text);
      return EXIT.pass;
    }

    const { url, userId } = await resolveTarget(values.url, values.user, deps.dataDir);
    const account = keychainAccount(userId, url);
    if (command === 'set-password') {
      const password = (await deps.readStdin()).replace(/\r?\n$/, '');
      if (!password) throw new KioskError('invalid_request', 'No password on standard input.');
      await deps.store.set(account, password);
      print({ stored: true, account }, `Stored the password for ${account} in the OS keychain.`);
      return EXIT.pass;
    }

    const timeoutSeconds = values.timeout === undefined ? 30 : Number(values.timeout);
    if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
      throw new KioskError('invalid_request', `--timeout must be a number of seconds, not "${values.timeout}".`);
    }
    const client = createBiointellicClient({
      baseUrl: url,
      userId,
      timeoutMs: timeoutSeconds * 1000,
      getPassword: () => passwordFor(account, deps),
      logger: createLogger((line) => deps.stderr(`${line}\n`), { minLevel: deps.env.KIOSK_LOG_LEVEL === 'info' ? 'info' : 'warn' }),
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    });

    if (command === 'auth') {
      const { expiresAt } = await client.checkConnection();
      const expires = expiresAt === null ? null : new Date(expiresAt).toISOString();
      print(
        { userId, url, tokenExpiresAt: expires },
        `Authenticated as ${userId} at ${url}; the token ${expires ? `expires at ${expires}` : 'has no expiry'}.`,
      );
      return EXIT.pass;
    }

    const images = await Promise.all(files.map((file) => readImage(file)));
    const result =
      command === 'liveness'
        ? await client.liveness((await normalizeForLiveness(images[0]!)).bytes, { debug: values.debug })
        : await client.match(await normalizeForMatch(images[0]!), await normalizeForMatch(images[1]!), {
            debug: values.debug,
          });
    const threshold = command === 'match' ? ` (PASS ≥ ${MATCH.passThreshold})` : '';
    print({ service: command, ...result }, `${result.pass ? 'PASS' : 'FAIL'}  ${command} score ${result.score}${threshold}  request ${result.requestId}`);
    return result.pass ? EXIT.pass : EXIT.fail;
  } catch (error) {
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      return fail({ code: 'invalid_request', message: `${error.message}\n${USAGE}`, retriable: false });
    }
    return fail(toErrorData(error));
  }
}

async function resolveTarget(url: string | undefined, user: string | undefined, dataDir: string) {
  if (url && user) return { url, userId: user };
  const { settings } = await readSettings(dataDir);
  const backend = settings.backend.kind === 'remote' ? settings.backend : undefined;
  const resolved = { url: url ?? backend?.url, userId: user ?? backend?.userId };
  if (!resolved.url || !resolved.userId) {
    throw new KioskError('settings_invalid', 'No service configured: pass --url and --user.');
  }
  return { url: resolved.url, userId: resolved.userId };
}

export async function passwordFor(account: string, deps: Pick<CliDeps, 'env' | 'store'>): Promise<string> {
  if (deps.env.BIOINTELLIC_PASSWORD) return deps.env.BIOINTELLIC_PASSWORD;
  return requiredPassword(deps.store, account, 'set BIOINTELLIC_PASSWORD or run "npm run cli -- set-password"');
}

async function readImage(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new KioskError('image_invalid', `Cannot read "${file}" (${code}).`);
  }
}
