/**
 * Provisioning on a station that is already set up (issue: a dropped provisioning.json replaced the
 * PIN and the backend): only a file signed by IT's key, with a newer serial, is applied; anything
 * else is refused, deleted, logged, recorded in the audit trail and shown to staff.
 */
import { testCertificates } from '../support/rsyslog';
import Database from 'better-sqlite3';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../engine/http/users';
import { STAFF_PIN, hostMain, provisionStation } from '../../harness/mainHost';
import { newItKeyPair, signText, storedPublicKey } from '../../main/settings/itKey';
import { readSettings, writeSettings } from '../../main/settings/settingsFile';
import { runCli } from '../support/runCli';

const itKeys = newItKeyPair();
const intruder = newItKeyPair();

/** A station set up by IT, trusting `itKeys`'s key, last provisioned with serial 100. */
async function setUpStation() {
  const dataDir = await mkdtemp(join(tmpdir(), 'kiosk-provisioned-'));
  await provisionStation(dataDir);
  const read = await readSettings(dataDir);
  await writeSettings(dataDir, { ...read.settings, itPublicKey: storedPublicKey(itKeys.publicPem), provisioningSerial: 100, stationName: 'Desk 1' });
  return dataDir;
}

const provisioning = async (over: Record<string, unknown> = {}) => ({
  backend: { kind: 'remote', url: 'https://attacker.example', userId: 'evil' },
  staffPinHash: await hashPassword('999999'),
  stationName: 'Desk 1 (replaced)',
  ...over,
});
const signed = (payload: object, key = itKeys.privatePem) => {
  const text = JSON.stringify(payload);
  return { signed: text, signature: signText(text, key) };
};

/** Drops `file` as provisioning.json, starts main on the folder, and reports what it made of it. */
async function startWith(dataDir: string, file: unknown) {
  await writeFile(join(dataDir, 'provisioning.json'), JSON.stringify(file));
  const main = await hostMain({ dataDir });
  const settings = (await readSettings(dataDir)).settings;
  const left = (await readdir(dataDir)).filter((f) => f.startsWith('provisioning'));
  return { main, settings, left };
}

/**
 * Starts main on a set-up station with `file` dropped: checks that nothing changed and that the
 * refusal was reported everywhere (staff view, log, audit trail, the file deleted); returns the
 * reason staff are shown.
 */
async function refusal(dataDir: string, file: unknown): Promise<string> {
  const { main, settings, left } = await startWith(dataDir, file);
  // Nothing changed: IT's PIN still unlocks, the backend and name are IT's.
  expect(settings).toMatchObject({ backend: { kind: 'local' }, stationName: 'Desk 1', provisioningSerial: 100 });
  await expect(main.call('staff.unlock', { pin: STAFF_PIN })).resolves.toMatchObject({ ok: true });
  const view = await main.call('settings.get');
  const reason = view.ok ? view.data.provisioningRefused : null;
  expect(reason).toEqual(expect.any(String));
  expect(left).toEqual([]);
  expect(main.logs.filter((l) => l.includes('provisioning.rejected'))).toHaveLength(1);
  const db = new Database(join(dataDir, 'audit.sqlite'), { readonly: true });
  const refused = db.prepare("SELECT detail FROM staff_action WHERE action = 'provisioning.refused'").all() as Array<{ detail: string }>;
  db.close();
  expect(refused.map((r) => JSON.parse(r.detail).reason)).toEqual([reason]);
  return reason!;
}

describe('provisioning a station that is already set up', () => {
  it('refuses an unsigned file (the reproduction: the PIN and backend replaced by whoever can write the folder)', async () => {
    expect(await refusal(await setUpStation(), await provisioning())).toMatch(/not signed/);
  });

  it('refuses a file signed by another key, and one whose signed text was changed', async () => {
    expect(await refusal(await setUpStation(), signed(await provisioning({ serial: 200 }), intruder.privatePem))).toMatch(/signature does not verify/);
    const tampered = signed(await provisioning({ serial: 200 }));
    tampered.signed = tampered.signed.replace('(replaced)', '(tampered)');
    expect(await refusal(await setUpStation(), tampered)).toMatch(/signature does not verify/);
  });

  it('refuses an old signed file replayed (its serial not newer than the last applied)', async () => {
    expect(await refusal(await setUpStation(), signed(await provisioning({ serial: 100 })))).toMatch(/serial 100 is not newer than the last applied \(100\)/);
  });

  it('refuses weak scrypt settings for the PIN hash', async () => {
    const weak = (await hashPassword('999999')).replace(/^scrypt\$16384\$/, 'scrypt$1024$');
    expect(await refusal(await setUpStation(), signed(await provisioning({ serial: 200, staffPinHash: weak })))).toMatch(/scrypt settings below N=16384/);
  });

  it('applies a newer file signed by IT, deletes it, and refuses the same file dropped again', async () => {
    const dataDir = await setUpStation();
    const file = signed(await provisioning({ serial: 200, backend: { kind: 'local' }, staffPinHash: await hashPassword('135799') }));
    const { main, settings, left } = await startWith(dataDir, file);
    expect(settings).toMatchObject({ stationName: 'Desk 1 (replaced)', provisioningSerial: 200, itPublicKey: storedPublicKey(itKeys.publicPem) });
    expect(left).toEqual([]);
    await expect(main.call('staff.unlock', { pin: '135799' })).resolves.toMatchObject({ ok: true });
    await expect(main.call('settings.get')).resolves.toMatchObject({ ok: true, data: { provisioningRefused: null } });
    const again = await startWith(dataDir, file);
    expect(again.settings.provisioningSerial).toBe(200);
    await expect(again.main.call('settings.get')).resolves.toMatchObject({
      ok: true,
      data: { provisioningRefused: expect.stringMatching(/serial 200 is not newer/) },
    });
  });
});

describe("IT's tools: a key pair, signed files, and the CLI on a set-up station", () => {
  it('makes a key pair, signs a file with it that a station set up with --trust-key applies, and refuses a re-provision without the current PIN', async () => {
    const keys = await mkdtemp(join(tmpdir(), 'kiosk-it-keys-'));
    expect((await runCli(['provisioning-key', '--out', keys])).code).toBe(0);
    const [key, pub] = [join(keys, 'it-provisioning.key'), join(keys, 'it-provisioning.pub')];
    // A second key pair never overwrites the first.
    expect((await runCli(['provisioning-key', '--out', keys])).code).not.toBe(0);

    const dataDir = await mkdtemp(join(tmpdir(), 'kiosk-cli-station-'));
    expect((await runCli(['provision', '--backend', 'local', '--station', 'Desk 7', '--trust-key', pub], { dataDir, stdin: '531975\n' })).code).toBe(0);
    expect((await readSettings(dataDir)).settings.itPublicKey).toBe(storedPublicKey(await readFile(pub, 'utf8')));

    // Re-provisioning this station from its own command line takes its current PIN first.
    const without = await runCli(['provision', '--backend', 'local', '--json'], { dataDir, stdin: '111111\n222222\n' });
    expect(without.code).toBe(2);
    expect(JSON.parse(without.stdout)).toMatchObject({ ok: false, error: { code: 'pin_rejected' } });
    expect((await readSettings(dataDir)).settings.stationName).toBe('Desk 7');

    const out = join(keys, 'desk7.json');
    // The bank's log collector: host:port and the CA its certificate chains to, both or neither.
    const { caPem } = await testCertificates(keys, 'bank');
    const caFile = join(keys, 'bank-ca.pem');
    const halfCollector = await runCli(['provision', '--backend', 'local', '--audit-collector', '127.0.0.1:1', '--out', out, '--json'], { stdin: '864200\n' });
    expect(JSON.parse(halfCollector.stdout)).toMatchObject({
      ok: false,
      error: { code: 'invalid_request', message: expect.stringContaining('--audit-collector-ca') },
    });
    const collector = ['--audit-collector', '127.0.0.1:1', '--audit-collector-ca', caFile];
    expect(
      (
        await runCli(['provision', '--backend', 'local', '--station', 'Desk 7b', '--checks-at-once', ...collector, '--out', out, '--sign', key], {
          stdin: '864200\n',
        })
      ).code,
    ).toBe(0);
    await writeFile(join(dataDir, 'provisioning.json'), await readFile(out));
    const main = await hostMain({ dataDir });
    await expect(main.call('settings.get')).resolves.toMatchObject({
      ok: true,
      data: { stationName: 'Desk 7b', checksAtOnce: true, provisioningRefused: null },
    });
    await expect(main.call('staff.unlock', { pin: '864200' })).resolves.toMatchObject({ ok: true });
    expect((await readSettings(dataDir)).settings.auditCollector).toEqual({ host: '127.0.0.1', port: 1, caPem });
    // Nothing listens there: staff are told the records wait for the central log.
    await expect
      .poll(async () => {
        const listed = await main.call('audit.list', {});
        return listed.ok ? listed.data.forwarding?.state : null;
      })
      .toBe('unreachable');
    // The station has peppered that PIN's hash (pinPepper.ts): the CLI checks it through the keychain.
    expect((await readSettings(dataDir)).settings.staffPinHash).toMatch(/^pepper1\$/);
    const again = await runCli(['provision', '--backend', 'local', '--station', 'Desk 7c', '--json'], { dataDir, stdin: '864200\n135799\n' });
    expect(JSON.parse(again.stdout)).toMatchObject({ ok: true });
    expect((await readSettings(dataDir)).settings.stationName).toBe('Desk 7c');
  });
});

describe('npm run cli -- status', () => {
  it('tells IT how the station would start, and whether a waiting file would be applied, changing nothing', async () => {
    const fresh = await runCli(['status', '--json']);
    expect(JSON.parse(fresh.stdout)).toMatchObject({ ok: true, data: { setUp: false, settingsFile: 'missing', provisioningFile: null } });

    const dataDir = await setUpStation();
    await writeFile(join(dataDir, 'provisioning.json'), JSON.stringify(await provisioning()));
    await writeFile(join(dataDir, 'staff-pin-lockout.json'), '{ not json');
    const before = await readdir(dataDir);
    const run = await runCli(['status', '--json'], { dataDir });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: true,
      data: {
        setUp: true,
        stationName: 'Desk 1',
        trustsItKey: true,
        provisioningSerial: 100,
        pinLockedUntil: expect.any(String),
        stationLocked: false,
        provisioningFile: { wouldApply: false, reason: expect.stringMatching(/not signed/) },
      },
    });
    // Nothing applied, deleted or rewritten.
    expect(await readdir(dataDir)).toEqual(before);
    expect(await readFile(join(dataDir, 'staff-pin-lockout.json'), 'utf8')).toBe('{ not json');

    await writeFile(join(dataDir, 'provisioning.json'), JSON.stringify(signed(await provisioning({ serial: 101 }))));
    const text = await runCli(['status'], { dataDir });
    expect(text.stdout).toContain('a file is waiting and would be applied');
    expect(text.stdout).toContain('Staff PIN: locked until');
  });
});
