/**
 * Runs the client, the IPC table and the CLI through success and failure paths with a unique
 * password, then searches everything they printed, logged, returned or wrote for the password and
 * for every token the service issued. Nothing may contain either.
 */
import { randomUUID } from 'node:crypto';
import { readdir, readFile, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toErrorData } from '../../app/errors';
import { createKeytarStore, keychainAccount } from '../../main/credentials/keychain';
import { normalizeForLiveness } from '../../main/imaging/normalize';
import { startTestServer, type TestServer } from '../support/biointellicTestServer';
import { clientFor } from '../support/clientFor';
import { makeJpeg } from '../support/images';
import { STAFF_PIN, hostMain } from '../../harness/mainHost';
import { runCli } from '../support/runCli';

const password = `pw-${randomUUID()}`;
const wrongPassword = `wrong-${randomUUID()}`;
const userId = `hygiene-${randomUUID().slice(0, 8)}`;
let server: TestServer;
/** The service's and the client's clock, stepped past a token's life instead of waiting it out. */
const clock = { ms: Date.now() };
const collected: string[] = [];
const record = (what: unknown) => collected.push(typeof what === 'string' ? what : JSON.stringify(what));

beforeAll(async () => {
  server = await startTestServer({ users: { [userId]: password }, now: () => clock.ms });
});
afterAll(async () => {
  await createKeytarStore().delete(keychainAccount(userId, server.url));
  await server.close();
});

describe('secret hygiene', () => {
  it('never prints, logs, returns or writes the password or a token', async () => {
    const png = (await normalizeForLiveness(await makeJpeg(1280, 720))).bytes;
    const jpegPath = join(await mkdtemp(join(tmpdir(), 'kiosk-hygiene-')), 'face.jpg');
    await writeFile(jpegPath, await makeJpeg(1280, 720));

    // The client: success, renewal after expiry, a revoked token, faults, a rejected image.
    const good = clientFor(server, { userId, getPassword: async () => password, now: () => clock.ms });
    record(await good.client.liveness(png));
    clock.ms += 2 * 3_600_000;
    record(await good.client.liveness(png));
    server.revokeTokens();
    record(await good.client.liveness(png));
    server.fault('liveness', { kind: 'status', status: 500 }, { kind: 'reject', code: 'FACE_TOO_SMALL', message: 'IPD' });
    record(toErrorData(await good.client.liveness(png).catch((e: unknown) => e)));
    server.fault('liveness', { kind: 'unauthorized' }, { kind: 'unauthorized' });
    record(toErrorData(await good.client.liveness(png).catch((e: unknown) => e)));
    const bad = clientFor(server, { userId, getPassword: async () => wrongPassword });
    const rejected = await bad.client.liveness(png).catch((e: unknown) => e);
    record(toErrorData(rejected));
    record(String(rejected));
    collected.push(...good.logs, ...bad.logs);

    // The IPC table, the way the renderer sees it.
    const main = await hostMain();
    await main.asStaff();
    await main.call('settings.update', { pin: STAFF_PIN, backend: { kind: 'remote', url: server.url, userId } });
    await main.call('credentials.setPassword', { pin: STAFF_PIN, password });
    await main.call('connection.test');
    await main.call('verification.setIdPhoto', await makeJpeg(600, 800));
    await main.call('verification.setLivePhoto', { image: await makeJpeg(1280, 720) });
    await main.call('verification.run', { attempt: 1 });
    await main.call('settings.get');
    collected.push(...main.logs, ...main.results.map((r) => JSON.stringify(r)), JSON.stringify(main.progress));
    for (const file of await readdir(main.dataDir)) collected.push(await readFile(join(main.dataDir, file), 'utf8'));

    // The CLI, with the password from the environment, then from the keychain, then wrong.
    const target = ['--url', server.url, '--user', userId];
    for (const args of [
      ['auth', ...target],
      ['auth', ...target, '--json'],
      ['liveness', jpegPath, ...target, '--json'],
    ]) {
      const run = await runCli(args, { env: { BIOINTELLIC_PASSWORD: password, KIOSK_LOG_LEVEL: 'info' } });
      expect(run.code).toBe(0);
      collected.push(run.stdout, run.stderr);
    }
    const fromKeychain = await runCli(['liveness', jpegPath, ...target]);
    expect(fromKeychain.code).toBe(0);
    const wrong = await runCli(['auth', ...target, '--json'], { env: { BIOINTELLIC_PASSWORD: wrongPassword } });
    expect(wrong.code).toBe(3);
    collected.push(fromKeychain.stdout, fromKeychain.stderr, wrong.stdout, wrong.stderr);

    const haystack = collected.join('\n');
    // The scenario really happened: several tokens were issued and the output is not empty.
    expect(server.issuedTokens.length).toBeGreaterThanOrEqual(5);
    expect(haystack).toContain('biointellic.result');
    expect(haystack).toContain('credentials_rejected');
    const basic = Buffer.from(`${userId}:${password}`).toString('base64');
    for (const secret of [password, wrongPassword, basic, ...server.issuedTokens, ...server.issuedTokens.map((t) => t.split('.')[2]!)]) {
      expect(haystack.includes(secret), `found a secret starting ${secret.slice(0, 6)}`).toBe(false);
    }
  });
});
