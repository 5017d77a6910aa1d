/**
 * The real keytar against a real Secret Service (gnome-keyring on a private D-Bus), started by
 * tests/run.sh, which passes the daemon's pid so a hung keychain can be produced for real.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeytarStore, keychainAccount, openCredentialStore } from '../../main/credentials/keychain';
import { startTestServer, type TestServer } from '../support/biointellicTestServer';
import { runCli } from '../support/runCli';

const keyringPid = Number(process.env.KIOSK_TEST_KEYRING_PID);
if (!process.env.DBUS_SESSION_BUS_ADDRESS || !keyringPid) {
  throw new Error('The keychain suite needs a Secret Service: run it through `npm test` (tests/run.sh).');
}

const store = createKeytarStore({ timeoutMs: 2_000 });
const account = () => `user-${randomUUID()}@kiosk.test`;

describe('keytar credential store', () => {
  it('is the store main opens where keytar loads, not the safeStorage fallback', async () => {
    const opened = await openCredentialStore({
      fallback: () => {
        throw new Error('the fallback must not be used');
      },
    });
    expect(opened.kind).toBe('keytar');
    const name = account();
    await opened.store.set(name, 'via-open');
    expect(await store.get(name)).toBe('via-open');
    await store.delete(name);
  });

  it('stores, reads, replaces and deletes a password', async () => {
    const name = account();
    expect(await store.get(name)).toBeNull();
    await store.set(name, 'first-secret');
    expect(await store.get(name)).toBe('first-secret');
    await store.set(name, 'second-secret');
    expect(await store.get(name)).toBe('second-secret');
    expect(await store.delete(name)).toBe(true);
    expect(await store.get(name)).toBeNull();
    expect(await store.delete(name)).toBe(false);
  });

  it('names the account user@host so two services never share a password', () => {
    expect(keychainAccount('admin', 'https://bio.example.com:8443/x')).toBe('admin@bio.example.com:8443');
  });

  it('answers keychain_unavailable, with the reason, when there is no Secret Service', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../support/keychainProbe.ts')], {
      env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' },
    });
    const result = JSON.parse(stdout);
    expect(result.ok).toBe(false);
    expect(result.error.code).toBe('keychain_unavailable');
    expect(result.error.message).toMatch(/refused to read the password \(.+\)/);
  });

  it('times out a keychain that stops answering, and works again once it is back', async () => {
    const name = account();
    await store.set(name, 'still-here');
    process.kill(keyringPid, 'SIGSTOP');
    try {
      // A hang would be caught by the test's own timeout; the answer names the store's 2-s limit.
      const error = await store.get(name).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'keychain_unavailable', message: expect.stringMatching(/did not answer within 2 s/) });
    } finally {
      process.kill(keyringPid, 'SIGCONT');
    }
    expect(await store.get(name)).toBe('still-here');
  });
});

describe('CLI with the keychain', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ users: { desk7: 'pw-from-keychain' } });
  });
  afterAll(() => server.close());

  it('set-password reads standard input into the keychain, and auth then uses it', async () => {
    const target = ['--url', server.url, '--user', 'desk7'];
    const missing = await runCli(['auth', ...target]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/credentials_missing/);

    const stored = await runCli(['set-password', ...target], { stdin: 'pw-from-keychain\n' });
    expect(stored.code).toBe(0);
    expect(stored.stdout).not.toContain('pw-from-keychain');
    expect(await store.get(keychainAccount('desk7', server.url))).toBe('pw-from-keychain');

    const auth = await runCli(['auth', ...target]);
    expect(auth.code).toBe(0);
    await store.delete(keychainAccount('desk7', server.url));
  });
});
