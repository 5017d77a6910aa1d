import sharp from 'sharp';
import Database from 'better-sqlite3';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keychainAccount, createKeytarStore } from '../../main/credentials/keychain';
import { startTestServer, type TestServer } from '../support/biointellicTestServer';
import { A_PASSPORT, passportPage } from '../../harness/testDocument';
import { makeJpeg } from '../support/images';
import { hashPassword, verifyPassword } from '../../engine/http/users';
import { STAFF_PIN, hostMain } from '../../harness/mainHost';

let server: TestServer;
let userId: string;
beforeEach(async () => {
  userId = `desk-${randomUUID().slice(0, 8)}`;
  server = await startTestServer({ users: { [userId]: 'counter-pw' } });
});
afterEach(async () => {
  await createKeytarStore().delete(keychainAccount(userId, server.url));
  await server.close();
});

/** What the live step says of a capture whose face blinked (app/blink.ts). */
const BLINKED = { seen: true, prompted: false, waitedMs: 0 };

async function configured() {
  const main = await hostMain();
  await main.asStaff();
  await main.call('settings.update', { pin: STAFF_PIN, backend: { kind: 'remote', url: server.url, userId } });
  await main.call('credentials.setPassword', { pin: STAFF_PIN, password: 'counter-pw' });
  return main;
}

describe('a station IT has not set up (fails closed)', () => {
  const refusesEveryone = async (main: Awaited<ReturnType<typeof hostMain>>) => {
    await expect(main.call('settings.get')).resolves.toMatchObject({ ok: true, data: { provisioned: false } });
    await expect(main.call('verification.setIdPhoto', await makeJpeg(400, 400))).resolves.toMatchObject({ ok: false, error: { code: 'station_not_set_up' } });
    await expect(main.call('verification.run', { attempt: 1 })).resolves.toMatchObject({ ok: false, error: { code: 'station_not_set_up' } });
    // Nobody at the screen can choose the PIN or open staff settings.
    await expect(main.call('staff.unlock', { pin: STAFF_PIN })).resolves.toMatchObject({ ok: false, error: { code: 'station_not_set_up' } });
    await expect(main.call('staff.setPin', { current: '000000', pin: '135790' })).resolves.toMatchObject({ ok: false, error: { code: 'station_not_set_up' } });
    await expect(main.call('settings.update', { pin: STAFF_PIN, backend: { kind: 'local' } })).resolves.toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  };

  it('verifies nobody on a fresh machine, and writes no settings of its own', async () => {
    const dataDir = `${await mkdtemp(`${tmpdir()}/kiosk-fresh-`)}/not/there/yet`;
    const main = await hostMain({ dataDir });
    await refusesEveryone(main);
    expect(await readdir(dataDir)).not.toContain('settings.json');
    expect(await readdir(dataDir)).toContain('audit.sqlite');
  });

  it('keeps a corrupt settings file aside and stays closed instead of falling back to the built-in engine', async () => {
    const configured = await hostMain();
    await configured.asStaff();
    await configured.call('settings.update', { pin: STAFF_PIN, backend: { kind: 'remote', url: server.url, userId } });
    await writeFile(join(configured.dataDir, 'settings.json'), '{ "backend": { "kind": "remote", "url": ');
    const restarted = await hostMain({ dataDir: configured.dataDir });
    await refusesEveryone(restarted);
    const files = await readdir(configured.dataDir);
    expect(files.filter((f) => f.startsWith('settings.json.corrupt-'))).toHaveLength(1);
    expect(files).not.toContain('settings.json');
    expect(restarted.logs.some((l) => l.includes('settings.corrupt'))).toBe(true);
  });

  it("is set up by IT's provisioning file, applied once and recorded in the audit log", async () => {
    const dataDir = await mkdtemp(`${tmpdir()}/kiosk-provision-`);
    const provisioning = { backend: { kind: 'remote', url: server.url, userId }, staffPinHash: await hashPassword('864200'), stationName: 'Front desk 2' };
    await writeFile(join(dataDir, 'provisioning.json'), JSON.stringify(provisioning));
    const main = await hostMain({ dataDir });
    await expect(main.call('settings.get')).resolves.toMatchObject({
      ok: true,
      data: { provisioned: true, stationName: 'Front desk 2', backend: { kind: 'remote', url: server.url } },
    });
    await expect(main.call('staff.unlock', { pin: '864200' })).resolves.toMatchObject({ ok: true });
    const files = await readdir(dataDir);
    // Applied, then deleted: a copy beside the settings would be a PIN hash to crack and a file to replay.
    expect(files.filter((f) => f.startsWith('provisioning'))).toEqual([]);
    const db = new Database(join(dataDir, 'audit.sqlite'), { readonly: true });
    expect(db.prepare("SELECT detail FROM staff_action WHERE action = 'station.provisioned'").all()).toEqual([{ detail: expect.stringContaining('remote') }]);
    db.close();
  });

  it('refuses a provisioning file that does not validate, deletes it and changes nothing', async () => {
    const dataDir = await mkdtemp(`${tmpdir()}/kiosk-provision-`);
    await writeFile(join(dataDir, 'provisioning.json'), JSON.stringify({ backend: { kind: 'local' }, staffPinHash: '123456' }));
    const main = await hostMain({ dataDir });
    await refusesEveryone(main);
    expect((await readdir(dataDir)).filter((f) => f.startsWith('provisioning'))).toEqual([]);
    expect(main.logs.find((l) => l.includes('provisioning.rejected'))).toContain('scrypt');
  });
});

describe('the IPC gate', () => {
  it('refuses requests from another origin or from an iframe before any handler runs', async () => {
    const main = await configured();
    const before = server.received.length;
    for (const sender of [
      { url: 'https://evil.example/', isMainFrame: true },
      { url: 'app://kiosk/index.html', isMainFrame: false },
      { url: 'not a url', isMainFrame: true },
    ]) {
      await expect(main.invoke('connection.test', sender, undefined)).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(server.received.length).toBe(before);
  });

  it('refuses input that does not parse against the contract', async () => {
    const main = await hostMain();
    await expect(main.call('verification.setIdPhoto', 'not bytes')).resolves.toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    await expect(main.call('settings.update', { debug: 'yes' })).resolves.toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    await expect(main.call('credentials.setPassword', { pin: STAFF_PIN, password: '' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
  });
});

describe('the staff PIN', () => {
  it('locks settings and the password until the PIN is given, in main', async () => {
    const main = await hostMain();
    await expect(main.call('settings.update', { pin: STAFF_PIN, debug: true })).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await expect(main.call('credentials.setPassword', { pin: STAFF_PIN, password: 'x' })).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await expect(main.call('staff.setPin', { current: STAFF_PIN, pin: '12' })).resolves.toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    await expect(main.call('staff.setPin', { current: STAFF_PIN, pin: '1234' })).resolves.toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    await main.asStaff('246810');
    await expect(main.call('settings.update', { pin: STAFF_PIN, debug: true })).resolves.toMatchObject({ ok: true, data: { debug: true, provisioned: true } });
    await main.call('staff.lock');
    await expect(main.call('settings.update', { debug: false })).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await expect(main.call('connection.test')).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await expect(main.call('staff.unlock', { pin: '111111' })).resolves.toMatchObject({ ok: false, error: { code: 'pin_rejected' } });
    await expect(main.call('staff.setPin', { current: '999999', pin: '135790' })).resolves.toMatchObject({ ok: false, error: { code: 'pin_rejected' } });
    await expect(main.call('staff.unlock', { pin: '246810' })).resolves.toMatchObject({ ok: true });
    await expect(main.call('settings.update', { language: 'fr' })).resolves.toMatchObject({ ok: true, data: { language: 'fr', debug: true } });
  });

  it('locks the PIN after five wrong ones, through a restart, for 1 min, then 2 min after five more', async () => {
    let t = Date.parse('2026-11-27T10:00:00Z');
    const main = await hostMain({ now: () => t });
    await main.asStaff('246810');
    await main.call('staff.lock');
    const unlock = (host: typeof main, pin: string) => host.call('staff.unlock', { pin });
    for (let i = 0; i < 5; i++) await expect(unlock(main, '111111')).resolves.toMatchObject({ ok: false, error: { code: 'pin_rejected' } });
    // Locked: even the right PIN is refused, and a restart (a new main on the same data) keeps it.
    await expect(unlock(main, '246810')).resolves.toMatchObject({ ok: false, error: { code: 'pin_locked' } });
    expect(main.logs.filter((l) => l.includes('pin.rejected'))).toHaveLength(5);
    expect(main.logs.some((l) => l.includes('pin.locked'))).toBe(true);
    const restarted = await hostMain({ dataDir: main.dataDir, now: () => t });
    await expect(unlock(restarted, '246810')).resolves.toMatchObject({ ok: false, error: { code: 'pin_locked' } });
    await expect(restarted.call('staff.setPin', { current: '246810', pin: '135790' })).resolves.toMatchObject({ ok: false, error: { code: 'pin_locked' } });
    // The next run of failures locks for twice as long.
    t += 60_000;
    for (let i = 0; i < 5; i++) await expect(unlock(restarted, '111111')).resolves.toMatchObject({ ok: false, error: { code: 'pin_rejected' } });
    t += 60_000;
    await expect(unlock(restarted, '246810')).resolves.toMatchObject({ ok: false, error: { code: 'pin_locked' } });
    t += 60_000;
    await expect(unlock(restarted, '246810')).resolves.toMatchObject({ ok: true });
  });

  it('starts locked when the lockout record cannot be read', async () => {
    const main = await hostMain();
    await main.asStaff('246810');
    await writeFile(join(main.dataDir, 'staff-pin-lockout.json'), '{ not json');
    const restarted = await hostMain({ dataDir: main.dataDir });
    await expect(restarted.call('staff.unlock', { pin: '246810' })).resolves.toMatchObject({ ok: false, error: { code: 'pin_locked' } });
    expect(restarted.logs.some((l) => l.includes('staff.pin_lockout_unreadable'))).toBe(true);
  });

  it('stops checking when the station-lock record cannot be read, until staff unlock', async () => {
    const main = await hostMain();
    await writeFile(join(main.dataDir, 'station-lock.json'), '{ not json');
    const restarted = await hostMain({ dataDir: main.dataDir });
    await restarted.call('verification.setIdPhoto', await makeJpeg(600, 800));
    await restarted.call('verification.setLivePhoto', { image: await makeJpeg(1920, 1080), blink: BLINKED });
    await expect(restarted.call('verification.run', { attempt: 1 })).resolves.toMatchObject({ ok: false, error: { code: 'station_locked' } });
    // Staff at the station unlock it: checks run again (here to a backend that is not there).
    await restarted.asStaff();
    const after = await restarted.call('verification.run', { attempt: 1 });
    expect(after.ok || after.error.code).not.toBe('station_locked');
  });

  it('records staff actions in the audit database, with no secret, and keeps at least 30 days', async () => {
    let quit = 0;
    const main = await hostMain({ quit: () => (quit += 1) });
    await main.asStaff('246810');
    await expect(main.call('settings.update', { auditRetentionDays: 7 })).resolves.toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    await main.call('settings.update', { pin: STAFF_PIN, stationName: 'Desk 4', debug: true });
    await main.call('settings.update', { debug: false });
    await main.call('staff.unlock', { pin: '000000' });
    await main.call('staff.unlock', { pin: '246810' });
    await main.call('staff.setPin', { current: '246810', pin: '135790' });
    await main.call('audit.exportCsv', {});
    await main.call('staff.quitKiosk', { pin: '135790' });
    await expect.poll(() => quit).toBe(1);
    const db = new Database(join(main.dataDir, 'audit.sqlite'), { readonly: true });
    const rows = db.prepare('SELECT station, action, detail FROM staff_action ORDER BY id').all() as Array<{ station: string; action: string; detail: string }>;
    db.close();
    expect(rows.map((r) => r.action)).toEqual([
      'staff.unlocked',
      'settings.updated',
      'debug.on',
      'settings.updated',
      'debug.off',
      'pin.rejected',
      'staff.unlocked',
      'pin.set',
      'audit.exported',
      'kiosk.quit',
    ]);
    expect(rows.at(-1)!.station).toBe('Desk 4');
    expect(JSON.stringify(rows)).not.toMatch(/246810|135790|000000|scrypt/);
  });

  it('asks for the PIN again before quitting, debug on, another backend or its password, in main', async () => {
    let quit = 0;
    const main = await hostMain({ quit: () => (quit += 1) });
    await main.asStaff();
    // A visitor at a screen staff left unlocked, without the PIN: refused, and nothing changed.
    for (const [name, input] of [
      ['staff.quitKiosk', { pin: '' }],
      ['settings.update', { debug: true }],
      ['settings.update', { backend: { kind: 'remote', url: server.url, userId } }],
      ['credentials.setPassword', { password: 'x', pin: '123456' }],
    ] as const) {
      await expect(main.call(name, input), name).resolves.toMatchObject({ ok: false, error: { code: 'pin_rejected' } });
    }
    expect(quit).toBe(0);
    await expect(main.call('settings.get')).resolves.toMatchObject({ ok: true, data: { debug: false, backend: { kind: 'local' } } });
    // What needs no second PIN still works in the same window; with the PIN, so does the rest.
    await expect(main.call('settings.update', { language: 'fr', debug: false })).resolves.toMatchObject({ ok: true, data: { language: 'fr' } });
    await expect(main.call('settings.update', { debug: true, pin: STAFF_PIN })).resolves.toMatchObject({ ok: true, data: { debug: true } });
    await expect(main.call('staff.quitKiosk', { pin: STAFF_PIN })).resolves.toMatchObject({ ok: true });
    await expect.poll(() => quit).toBe(1);
  });

  it('closes the staff window when staff leave it idle, on an injected clock', async () => {
    const clock = { ms: Date.parse('2026-06-01T09:00:00Z') };
    const main = await hostMain({ now: () => clock.ms });
    await main.asStaff();
    await expect(main.call('settings.update', { staffIdleSeconds: 30 })).resolves.toMatchObject({ ok: true, data: { staffIdleSeconds: 30 } });
    await expect(main.call('settings.update', { staffIdleSeconds: 121 })).resolves.toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    // The view reports staff's touches (staff.active): each keeps the window open.
    clock.ms += 44_000;
    await expect(main.call('staff.active')).resolves.toEqual({ ok: true, data: { active: true } });
    clock.ms += 44_000;
    await expect(main.call('audit.list', {})).resolves.toMatchObject({ ok: true });
    // Then nobody: 30 s plus main's 15-s slack later the window is shut.
    clock.ms += 45_000;
    await expect(main.call('staff.active')).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await expect(main.call('settings.get')).resolves.toMatchObject({ ok: true, data: { staffUnlockedUntil: null } });
  });

  it('shows staff their own actions and exports them, to staff only', async () => {
    const main = await hostMain();
    await expect(main.call('audit.staffActions', {})).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await expect(main.call('audit.exportStaffCsv', {})).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await main.call('staff.unlock', { pin: '000000' });
    await main.asStaff();
    await main.call('settings.update', { stationName: 'Desk 5' });
    const listed = await main.call('audit.staffActions', { limit: 2 });
    expect(listed).toMatchObject({ ok: true, data: { total: 3, actions: [{ action: 'settings.updated', station: 'Desk 5' }, { action: 'staff.unlocked' }] } });
    const exported = await main.call('audit.exportStaffCsv', {});
    if (!exported.ok) throw new Error(exported.error.code);
    expect(exported.data.count).toBe(3);
    expect(exported.data.csv.split('\n')[0]).toBe('id,time,station,action,detail');
    expect(exported.data.csv).toMatch(/pin\.rejected[\s\S]*staff\.unlocked[\s\S]*settings\.updated/);
    // The export itself is a staff action.
    await expect(main.call('audit.staffActions', { limit: 1 })).resolves.toMatchObject({ ok: true, data: { actions: [{ action: 'audit.exported' }] } });
  });

  it('quits kiosk mode only for staff', async () => {
    let quit = 0;
    const main = await hostMain({ quit: () => (quit += 1) });
    await expect(main.call('staff.quitKiosk', { pin: STAFF_PIN })).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await main.asStaff();
    await expect(main.call('staff.quitKiosk', { pin: STAFF_PIN })).resolves.toEqual({ ok: true, data: { quitting: true } });
    await expect.poll(() => quit).toBe(1);
  });

  it('never shows the PIN hash and stores it hashed with the pepper from the keychain', async () => {
    const main = await hostMain();
    await expect(main.call('staff.setPin', { current: STAFF_PIN, pin: '975310' })).resolves.toMatchObject({ ok: true });
    const view = await main.call('settings.get');
    expect(JSON.stringify(view)).not.toMatch(/scrypt|pepper1|975310/);
    const file = await readFile(`${main.dataDir}/settings.json`, 'utf8');
    expect(file).toMatch(/"staffPinHash": "pepper1\$16384\$8\$1\$/);
    expect(file).not.toContain('975310');
    // The hash alone does not say whether a PIN is right: without the pepper it checks as scrypt and fails.
    const { staffPinHash } = JSON.parse(file) as { staffPinHash: string };
    expect(await verifyPassword('975310', staffPinHash.replace(/^pepper1/, 'scrypt'))).toBe(false);
  });

  it('peppers the PIN hash IT provisioned at the first start, so a copied settings file unlocks nothing', async () => {
    const main = await hostMain();
    const file = JSON.parse(await readFile(join(main.dataDir, 'settings.json'), 'utf8')) as { staffPinHash: string };
    expect(file.staffPinHash).toMatch(/^pepper1\$/);
    await main.asStaff(STAFF_PIN);
    // The same settings file on another station (another data folder, so another pepper): the right PIN is refused.
    const elsewhere = await mkdtemp(join(tmpdir(), 'kiosk-copied-'));
    await writeFile(join(elsewhere, 'settings.json'), JSON.stringify(file));
    const copy = await hostMain({ dataDir: elsewhere });
    await expect(copy.call('staff.unlock', { pin: STAFF_PIN })).resolves.toMatchObject({ ok: false, error: { code: 'pin_rejected' } });
  });
});

describe('settings and credentials through IPC', () => {
  it('stores the password in the keychain only, and reports just that one is stored', async () => {
    const main = await configured();
    const view = await main.call('settings.get');
    expect(view).toMatchObject({ ok: true, data: { backend: { kind: 'remote', url: server.url, userId }, passwordStored: true } });
    expect(JSON.stringify(view)).not.toContain('counter-pw');
    expect(await createKeytarStore().get(keychainAccount(userId, server.url))).toBe('counter-pw');
    const test = await main.call('connection.test');
    expect(test).toMatchObject({ ok: true, data: { tokenExpiresAt: expect.any(String) } });
  });

  it('reports credentials_missing when no password is stored', async () => {
    const main = await hostMain();
    await main.asStaff();
    await main.call('settings.update', { pin: STAFF_PIN, backend: { kind: 'remote', url: server.url, userId } });
    await expect(main.call('connection.test')).resolves.toMatchObject({ ok: false, error: { code: 'credentials_missing' } });
  });

  it('refuses a remote plain-http URL as settings_invalid', async () => {
    const main = await hostMain();
    await main.asStaff();
    await main.call('settings.update', { pin: STAFF_PIN, backend: { kind: 'remote', url: 'http://bio.example.com', userId } });
    await expect(main.call('connection.test')).resolves.toMatchObject({ ok: false, error: { code: 'settings_invalid' } });
  });
});

describe('verification.run', () => {
  async function withPhotos(blink: typeof BLINKED | null = BLINKED) {
    const main = await configured();
    expect(await main.call('verification.setIdPhoto', await makeJpeg(600, 800))).toMatchObject({ ok: true, data: { width: 600, height: 800 } });
    expect(await main.call('verification.setLivePhoto', { image: await makeJpeg(1920, 1080), ...(blink ? { blink } : {}) })).toMatchObject({
      ok: true,
      data: { width: 1920, height: 1080 },
    });
    return main;
  }

  it('runs liveness, then match, and reports progress in order', async () => {
    const main = await withPhotos();
    const result = await main.call('verification.run', { attempt: 1 });
    expect(result).toMatchObject({ ok: true, data: { decision: 'verified', liveness: { pass: true }, match: { score: 67.68598175048828 } } });
    expect(main.progress.map((p) => p.stage)).toEqual(['preparing', 'liveness', 'match', 'done']);
    const calls = server.received.filter((r) => r.endpoint !== 'authenticate');
    expect(calls.map((r) => [r.endpoint, r.violations])).toEqual([
      ['liveness', []],
      ['match', []],
    ]);
  });

  it('holds a capture without a blink for staff even when both scores pass, and records why; off, the same capture is verified', async () => {
    const main = await withPhotos(null);
    const held = await main.call('verification.run', { attempt: 1 });
    expect(held).toMatchObject({ ok: true, data: { decision: 'review', staffReview: true, liveness: { pass: true }, match: { pass: true } } });
    await main.asStaff();
    expect(await main.call('review.get')).toMatchObject({ ok: true, data: { pending: { why: 'no_blink' } } });
    await main.call('settings.update', { blinkCheck: 'off' });
    expect(await main.call('verification.run', { attempt: 2 })).toMatchObject({ ok: true, data: { decision: 'verified' } });
    const audit = await main.call('audit.list', {});
    expect(audit.ok && audit.data.records.map((r) => [r.decision, r.rejectionCode, r.blink])).toEqual([
      ['verified', null, null],
      ['review', 'no_blink', null],
    ]);
  });

  it('sends an expired document to staff with the reason, shows staff its fields, and audits its kind and status but never who it names', async () => {
    const main = await configured();
    const expired = await passportPage({ ...A_PASSPORT, expiryDate: '240101' });
    const set = await main.call('verification.setIdDocument', { image: new Uint8Array(expired), wholeImage: true });
    expect(set).toMatchObject({ ok: true, data: { straightened: expect.any(Uint8Array) } });
    expect(Object.keys(set.ok ? set.data : {})).toEqual(['straightened']);
    const read = await main.call('verification.documentRead');
    expect(read).toMatchObject({ ok: true, data: { found: true, kind: 'passport', issuingState: 'NLD', mrz: 'verified', expiry: 'expired' } });
    // What the ID step is told names nobody.
    expect(JSON.stringify(read)).not.toMatch(/X12345678|TESTER|ALICE|1985/);
    await main.call('verification.setIdPhoto', await makeJpeg(600, 800));
    await main.call('verification.setLivePhoto', { image: await makeJpeg(1920, 1080), blink: BLINKED });
    // Both scores pass: only the document keeps this from "Verified".
    expect(await main.call('verification.run', { attempt: 1 })).toMatchObject({
      ok: true,
      data: { decision: 'review', staffReview: true, match: { pass: true } },
    });
    await main.asStaff();
    expect(await main.call('review.get')).toMatchObject({
      ok: true,
      data: {
        pending: {
          why: 'document_expired',
          document: { fields: { documentNumber: 'X12345678', surname: 'TESTER' }, confirmed: expect.arrayContaining(['expiryDate']) },
        },
      },
    });
    const audit = await main.call('audit.list', {});
    const row = audit.ok ? audit.data.records[0]! : null;
    expect(row).toMatchObject({
      decision: 'review',
      rejectionCode: 'document_expired',
      documentKind: 'passport',
      documentState: 'NLD',
      documentExpiry: 'expired',
      documentMrz: 'verified',
    });
    expect(JSON.stringify(row)).not.toMatch(/X12345678|TESTER|ALICE|1985-03-15|850315/);
  });

  it('a check run while the MRZ is still being read waits for it, and a reset drops a reading under way', async () => {
    const main = await configured();
    const expired = await passportPage({ ...A_PASSPORT, expiryDate: '240101' });
    // Not asked for its reading: the check itself must wait for it and apply it.
    await main.call('verification.setIdDocument', { image: new Uint8Array(expired), wholeImage: true });
    await main.call('verification.setIdPhoto', await makeJpeg(600, 800));
    await main.call('verification.setLivePhoto', { image: await makeJpeg(1920, 1080), blink: BLINKED });
    expect(await main.call('verification.run', { attempt: 1 })).toMatchObject({ ok: true, data: { decision: 'review', staffReview: true } });

    await main.call('verification.reset');
    await main.call('verification.setIdDocument', { image: new Uint8Array(expired), wholeImage: true });
    await main.call('verification.reset');
    expect(await main.call('verification.documentRead')).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    await main.asStaff();
  });

  it('a document without an MRZ takes the expiry staff read on it, and goes to staff when the station requires an MRZ', async () => {
    const main = await configured();
    expect(await main.call('verification.setDocumentExpiry', { expiryDate: '2030-01-01' })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    await main.call('verification.setIdDocument', { image: new Uint8Array(await makeJpeg(800, 500)), wholeImage: true });
    expect(await main.call('verification.documentRead')).toMatchObject({ ok: true, data: { mrz: 'none', expiry: 'unknown' } });
    expect(await main.call('verification.setDocumentExpiry', { expiryDate: '2020-01-01' })).toMatchObject({ ok: true, data: { expiry: 'expired' } });
    expect(await main.call('verification.setDocumentExpiry', { expiryDate: '2031-01-01' })).toMatchObject({ ok: true, data: { expiry: 'valid' } });
    await main.call('verification.setIdPhoto', await makeJpeg(600, 800));
    await main.call('verification.setLivePhoto', { image: await makeJpeg(1920, 1080), blink: BLINKED });
    expect(await main.call('verification.run', { attempt: 1 })).toMatchObject({ ok: true, data: { decision: 'verified' } });
    await main.asStaff();
    await main.call('settings.update', { documentRules: { requireMrz: true, acceptedKinds: ['passport'] } });
    expect(await main.call('verification.run', { attempt: 2 })).toMatchObject({ ok: true, data: { decision: 'review' } });
    expect(await main.call('review.get')).toMatchObject({ ok: true, data: { pending: { why: 'document_unread', document: { expiryEnteredByStaff: true } } } });
  });

  it('records the live step’s blink in the audit log, and refuses evidence that is not its shape', async () => {
    const main = await withPhotos({ seen: true, prompted: true, waitedMs: 1400 });
    expect(await main.call('verification.run', { attempt: 1 })).toMatchObject({ ok: true, data: { decision: 'verified' } });
    await main.asStaff();
    const audit = await main.call('audit.list', {});
    expect(audit.ok && audit.data.records[0]!.blink).toBe('prompted');
    const forged = await main.call('verification.setLivePhoto', { image: await makeJpeg(1920, 1080), blink: { seen: 'yes' } as never });
    expect(forged).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it('does not call match when liveness fails', async () => {
    server.state.livenessResult = { result: '0.12', pass: false };
    const main = await withPhotos();
    const result = await main.call('verification.run', { attempt: 2 });
    expect(result).toMatchObject({ ok: true, data: { decision: 'not_verified', liveness: { score: 0.12 } } });
    expect(result.ok && result.data.match).toBeUndefined();
    expect(server.count('match')).toBe(0);
  });

  it('sends ?debug=true only after staff switch it on', async () => {
    const main = await withPhotos();
    expect(await main.call('settings.update', { pin: STAFF_PIN, debug: true })).toMatchObject({ ok: true });
    await main.call('verification.run', { attempt: 1 });
    expect(server.received.filter((r) => r.endpoint !== 'authenticate').map((r) => r.query.debug)).toEqual(['true', 'true']);
  });

  it('writes one audit record per run, with the service request ids and no image, for staff only', async () => {
    const main = await withPhotos();
    await main.call('settings.update', { stationName: 'Desk 3' });
    const run = await main.call('verification.run', { attempt: 1 });
    server.fault('liveness', { kind: 'reject', code: 'FACE_TOO_SMALL', message: 'Interpupillary distance is too small' });
    await main.call('verification.run', { attempt: 2 });
    const listed = await main.call('audit.list', {});
    expect(listed).toMatchObject({ ok: true, data: { total: 2 } });
    if (!listed.ok || !run.ok) throw new Error('unreachable');
    const [rejected, verified] = listed.data.records;
    expect(verified).toMatchObject({
      station: 'Desk 3',
      backend: 'remote',
      backendUrl: server.url,
      attempt: 1,
      decision: 'verified',
      livenessRequestId: run.data.liveness.requestId,
      matchRequestId: run.data.match!.requestId,
      matchScore: 67.68598175048828,
    });
    expect(rejected).toMatchObject({ attempt: 2, decision: 'error', rejectionCode: 'FACE_TOO_SMALL', livenessRequestId: null });
    const csv = await main.call('audit.exportCsv', {});
    expect(csv).toMatchObject({ ok: true, data: { count: 2 } });
    await main.call('staff.lock');
    await expect(main.call('audit.list', {})).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('forgets both images on reset, and says how many image buffers it zeroed', async () => {
    const main = await withPhotos();
    // The ID photo as the match gets it, the live photo as liveness and as the match get it.
    await expect(main.call('verification.reset')).resolves.toEqual({ ok: true, data: { wiped: true, images: 3 } });
    await expect(main.call('verification.reset')).resolves.toEqual({ ok: true, data: { wiped: true, images: 0 } });
    await expect(main.call('verification.run', { attempt: 1 })).resolves.toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it('cancels a run in flight on reset: aborts it, waits, wipes, and audits it as cancelled', async () => {
    const main = await withPhotos();
    // The service never answers the match: the run is in flight when the visitor walks away.
    server.fault('match', { kind: 'hang' });
    const running = main.call('verification.run', { attempt: 1 });
    await expect.poll(() => server.count('match')).toBe(1);
    await expect(main.call('verification.reset')).resolves.toEqual({ ok: true, data: { wiped: true, images: 3 } });
    // Cancelled, not timed out (the client's own 30-s timeout would say timeout), and nothing sent
    // after the reset (no retry with zeroed images).
    await expect(running).resolves.toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(server.count('match')).toBe(1);
    const listed = await main.call('audit.list', {});
    expect(listed).toMatchObject({ ok: true, data: { total: 1, records: [{ decision: 'cancelled', livenessPass: true, matchRequestId: null }] } });
  });

  it('counts a document read by its MRZ as one, however often it is captured again', async () => {
    server.state.livenessResult = { result: '0.12', pass: false };
    const main = await configured();
    const passport = await passportPage({ ...A_PASSPORT });
    const visit = async (i: number) => {
      await main.call('verification.reset');
      // Each visit a new capture of the same passport: other bytes for the page and for its portrait.
      const page = await sharp(passport)
        .jpeg({ quality: 80 + i })
        .toBuffer();
      await main.call('verification.setIdDocument', { image: new Uint8Array(page), wholeImage: true });
      expect(await main.call('verification.documentRead')).toMatchObject({ ok: true, data: { mrz: 'verified' } });
      await main.call('verification.setIdPhoto', await makeJpeg(600 + i, 800));
      await main.call('verification.setLivePhoto', { image: await makeJpeg(1920, 1080), blink: BLINKED });
      return main.call('verification.run', { attempt: 1 });
    };
    for (let i = 0; i < 3; i++) await expect(visit(i)).resolves.toMatchObject({ ok: true, data: { decision: 'not_verified' } });
    await expect(visit(3)).resolves.toMatchObject({ ok: false, error: { code: 'attempts_exhausted' } });
  });

  it('counts unsuccessful checks across visits: 3 per ID photo, then 5 per station until staff unlock', async () => {
    server.state.livenessResult = { result: '0.12', pass: false };
    const main = await withPhotos();
    // main zeroes what it receives: each visit brings its own copy of the same photo.
    const firstId = () => makeJpeg(600, 800);
    const visit = async (id: () => Promise<Uint8Array>) => {
      // A new visit: Finish, Start, the same or another ID photo, a new capture.
      await main.call('verification.reset');
      await main.call('verification.setIdPhoto', await id());
      await main.call('verification.setLivePhoto', { image: await makeJpeg(1920, 1080), blink: BLINKED });
      return main.call('verification.run', { attempt: 1 });
    };
    for (let i = 0; i < 3; i++) await expect(visit(firstId)).resolves.toMatchObject({ ok: true, data: { decision: 'not_verified' } });
    await expect(visit(firstId)).resolves.toMatchObject({ ok: false, error: { code: 'attempts_exhausted' } });
    // Another ID photo may still be checked, until the station's fifth failure.
    const otherId = () => makeJpeg(640, 800);
    for (let i = 0; i < 2; i++) await expect(visit(otherId)).resolves.toMatchObject({ ok: true, data: { decision: 'not_verified' } });
    await expect(visit(otherId)).resolves.toMatchObject({ ok: false, error: { code: 'station_locked' } });
    expect(main.logs.some((l) => l.includes('station.locked'))).toBe(true);
    const listed = await main.call('audit.list', { decision: 'error' });
    expect(listed.ok && listed.data.records.map((r) => r.rejectionCode)).toEqual(['station_locked', 'attempts_exhausted']);
    // A restart keeps the lock; staff's PIN lifts it.
    const restarted = await hostMain({ dataDir: main.dataDir });
    await restarted.call('verification.setIdPhoto', await makeJpeg(700, 800));
    await restarted.call('verification.setLivePhoto', { image: await makeJpeg(1920, 1080), blink: BLINKED });
    await expect(restarted.call('verification.run', { attempt: 1 })).resolves.toMatchObject({ ok: false, error: { code: 'station_locked' } });
    await expect(restarted.call('staff.unlock', { pin: '246810' })).resolves.toMatchObject({ ok: true });
    server.state.livenessResult = { result: '0.9', pass: true };
    await expect(restarted.call('verification.run', { attempt: 1 })).resolves.toMatchObject({ ok: true, data: { decision: 'verified' } });
  });

  it('switches debug off by itself after the hours staff chose, and records on each audit row whether it was on', async () => {
    let t = Date.parse('2026-11-27T10:00:00Z');
    const main = await hostMain({ now: () => t });
    await main.asStaff();
    await main.call('settings.update', { pin: STAFF_PIN, backend: { kind: 'remote', url: server.url, userId } });
    await main.call('credentials.setPassword', { pin: STAFF_PIN, password: 'counter-pw' });
    await expect(main.call('settings.update', { pin: STAFF_PIN, debug: true, debugHours: 25 })).resolves.toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
    await expect(main.call('settings.update', { pin: STAFF_PIN, debug: true, debugHours: 4 })).resolves.toMatchObject({
      ok: true,
      data: { debug: true, debugUntil: '2026-11-27T14:00:00.000Z' },
    });
    const check = async (attempt: number) => {
      await main.call('verification.setIdPhoto', await makeJpeg(600, 800));
      await main.call('verification.setLivePhoto', { image: await makeJpeg(1920, 1080), blink: BLINKED });
      return main.call('verification.run', { attempt });
    };
    await check(1);
    t += 4 * 3_600_000;
    await check(2);
    expect(server.received.filter((r) => r.endpoint === 'liveness').map((r) => r.query.debug)).toEqual(['true', 'false']);
    await main.call('staff.unlock', { pin: '246810' }); // four hours on: the staff session has ended too
    const listed = await main.call('audit.list', {});
    expect(listed.ok && listed.data.records.map((r) => [r.attempt, r.debug])).toEqual([
      [2, false],
      [1, true],
    ]);
    // On disk too: the next start finds it off.
    const restarted = await hostMain({ dataDir: main.dataDir, now: () => t });
    await expect
      .poll(async () => (await restarted.call('settings.get')).ok && ((await restarted.call('settings.get')) as { data: { debug: boolean } }).data.debug)
      .toBe(false);
  });

  it('holds a borderline match for staff: both images for staff only, the decision signed with the reviewer and reason, then wiped', async () => {
    server.state.matchResult = { result: '50.2', pass: true }; // a pass, but 2.2 above the document's 48
    const main = await withPhotos();
    await main.call('settings.update', { staffNames: ['Ana Silva', 'Tom Berg'] });
    await main.call('staff.lock');
    const run = await main.call('verification.run', { attempt: 1 });
    expect(run).toMatchObject({ ok: true, data: { decision: 'review', staffReview: true } });
    await expect(main.call('review.get')).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // Staff names are for staff: a visitor at the screen (no PIN) is shown none.
    await expect(main.call('settings.get')).resolves.toMatchObject({ ok: true, data: { staffNames: [] } });
    await expect(main.call('staff.identify', { name: 'Ana Silva' })).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await expect(main.call('staff.unlock', { pin: STAFF_PIN })).resolves.toMatchObject({ ok: true });
    await expect(main.call('settings.get')).resolves.toMatchObject({ ok: true, data: { staffNames: ['Ana Silva', 'Tom Berg'] } });
    // With names set, the review must be signed by someone: refused until staff name themselves, and only from the list.
    await expect(main.call('review.decide', { approved: true, reason: 'same_person' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
    await expect(main.call('staff.identify', { name: 'Someone Else' })).resolves.toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    await expect(main.call('staff.identify', { name: 'Ana Silva' })).resolves.toEqual({ ok: true, data: { reviewer: 'Ana Silva' } });
    const got = await main.call('review.get');
    if (!got.ok || !got.data.pending) throw new Error('no review waiting');
    const { pending } = got.data;
    expect(pending).toMatchObject({ why: 'borderline_match', attempt: 1, matchScore: 50.2, livenessScore: 0.8755132 });
    expect([...pending.idPhoto.subarray(0, 2), ...pending.livePhoto.subarray(0, 2)]).toEqual([0xff, 0xd8, 0xff, 0xd8]);
    // A reason from the other list is refused; the right one is recorded.
    await expect(main.call('review.decide', { approved: true, reason: 'different_person' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
    await expect(main.call('review.decide', { approved: true, reason: 'same_person' })).resolves.toEqual({ ok: true, data: { recorded: true } });
    await expect(main.call('review.get')).resolves.toEqual({ ok: true, data: { pending: null } });
    // What staff were shown was no copy of main's own: decided, the visit's images are zeroed, those too.
    expect([...pending.idPhoto, ...pending.livePhoto].every((b) => b === 0)).toBe(true);
    await expect(main.call('verification.run', { attempt: 2 })).resolves.toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    await expect(main.call('review.decide', { approved: false, reason: 'visitor_left' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
    const db = new Database(join(main.dataDir, 'audit.sqlite'), { readonly: true });
    const decided = db.prepare("SELECT detail FROM staff_action WHERE action LIKE 'review.%'").all() as Array<{ detail: string }>;
    const checks = db.prepare('SELECT id, decision, rejectionCode FROM verification').all() as Array<{ id: number }>;
    db.close();
    // The review names the check it decided by its audit row.
    expect(decided.map((r) => JSON.parse(r.detail))).toEqual([
      { reviewer: 'Ana Silva', reason: 'same_person', why: 'borderline_match', errorCode: null, attempt: 1, checkId: checks[0]!.id },
    ]);
    expect(checks).toEqual([{ id: expect.any(Number), decision: 'review', rejectionCode: 'borderline_match' }]);
  });

  it('sends the last unsuccessful attempt to staff, unless the station is set to say "Not verified"', async () => {
    server.state.matchResult = { result: '20.1', pass: false };
    const main = await withPhotos();
    await expect(main.call('verification.run', { attempt: 2 })).resolves.toMatchObject({ ok: true, data: { decision: 'not_verified', staffReview: false } });
    await expect(main.call('verification.run', { attempt: 3 })).resolves.toMatchObject({ ok: true, data: { decision: 'not_verified', staffReview: true } });
    await expect(main.call('review.get')).resolves.toMatchObject({ ok: true, data: { pending: { why: 'no_match', attempt: 3 } } });
    await main.call('settings.update', { sayNotVerified: true });
    await expect(main.call('verification.run', { attempt: 3 })).resolves.toMatchObject({ ok: true, data: { decision: 'not_verified', staffReview: false } });
    await expect(main.call('review.get')).resolves.toEqual({ ok: true, data: { pending: null } });
    // A visitor who walks away takes the review with them (a new station: this ID photo has used its three).
    server.state.matchResult = { result: '47', pass: false };
    const next = await withPhotos();
    await next.call('verification.run', { attempt: 1 });
    await expect(next.call('review.get')).resolves.toMatchObject({ ok: true, data: { pending: { why: 'borderline_match' } } });
    await next.call('verification.reset');
    await expect(next.call('review.get')).resolves.toEqual({ ok: true, data: { pending: null } });
  });

  it('keeps a bad live photo from replacing a good one', async () => {
    const main = await withPhotos();
    const bad = await main.call('verification.setLivePhoto', { image: await makeJpeg(640, 360) });
    expect(bad).toMatchObject({ ok: false, error: { code: 'image_too_small' } });
    await expect(main.call('verification.run', { attempt: 1 })).resolves.toMatchObject({ ok: true });
  });
});
