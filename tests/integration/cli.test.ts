import Database from 'better-sqlite3';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/biointellicTestServer';
import { makeJpeg, makePng } from '../support/images';
import { hostMain } from '../../harness/mainHost';
import { runCli } from '../support/runCli';

let server: TestServer;
let dir: string;
const env = { BIOINTELLIC_PASSWORD: 'hunter2' };

beforeAll(async () => {
  server = await startTestServer();
  dir = await mkdtemp(join(tmpdir(), 'kiosk-cli-images-'));
  await writeFile(join(dir, 'a.jpg'), await makeJpeg(1600, 1200));
  await writeFile(join(dir, 'b.png'), await makePng(500, 500));
  await writeFile(join(dir, 'small.png'), await makePng(640, 400));
  await writeFile(join(dir, 'fake.png'), 'not an image');
});
afterAll(() => server.close());

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const target = () => ['--url', server.url, '--user', 'admin'];
const file = (name: string) => join(dir, name);

describe('npm run cli', () => {
  it('match prints the service result and exits 0 on a pass', async () => {
    const run = await runCli(['match', file('a.jpg'), file('b.png'), ...target()], { env });
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^PASS {2}match score 67\.68598175048828 \(PASS ≥ 48\) {2}request [0-9a-f-]{36}\n$/);
    expect(run.code).toBe(0);
    const sent = server.received.at(-1)!;
    expect(sent).toMatchObject({ endpoint: 'match', query: { debug: 'false' }, violations: [] });
    // The 1600×1200 photo was normalised before sending.
    expect(sent.parts[0]!.contentType).toBe('image/jpeg');
  });

  it('exits 1 on a failing score, with --json output', async () => {
    server.state.livenessResult = { result: '0.4755132', pass: false };
    const run = await runCli(['liveness', file('a.jpg'), ...target(), '--json', '--debug'], { env });
    server.state.livenessResult = { result: '0.8755132', pass: true };
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({
      ok: true,
      data: { service: 'liveness', requestId: expect.any(String), score: 0.4755132, pass: false },
    });
    expect(server.received.at(-1)!.query).toEqual({ debug: 'true' });
  });

  it('exits 2 with the service code when the image is rejected', async () => {
    server.fault('liveness', { kind: 'reject', code: 'FACE_TOO_SMALL', message: 'Interpupillary distance is too small' });
    const run = await runCli(['liveness', file('a.jpg'), ...target(), '--json'], { env });
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).error).toMatchObject({ code: 'face_rejected', service: { code: 'FACE_TOO_SMALL' } });
  });

  it('exits 2 on invalid input before contacting the service', async () => {
    const before = server.received.length;
    const small = await runCli(['liveness', file('small.png'), ...target()], { env });
    expect(small).toMatchObject({ code: 2, stdout: '' });
    expect(small.stderr).toMatch(/^error \[image_too_small\]: .*480 px/);
    const fake = await runCli(['match', file('fake.png'), file('b.png'), ...target()], { env });
    expect(fake.code).toBe(2);
    expect(fake.stderr).toMatch(/image_invalid/);
    const missing = await runCli(['liveness', file('nope.jpg'), ...target()], { env });
    expect(missing.stderr).toMatch(/image_invalid.*ENOENT/);
    const usage = await runCli(['match', file('a.jpg'), ...target()], { env });
    expect(usage.code).toBe(2);
    expect(server.received.length).toBe(before);
  });

  it('exits 3 on a wrong password and on a dead service', async () => {
    const wrong = await runCli(['auth', ...target()], { env: { BIOINTELLIC_PASSWORD: 'nope' } });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toMatch(/credentials_rejected/);
    const dead = await runCli(['auth', '--url', `http://127.0.0.1:${await closedPort()}`, '--user', 'admin', '--timeout', '2'], { env });
    expect(dead.code).toBe(3);
    expect(dead.stderr).toMatch(/network_unreachable.*ECONNREFUSED/);
  });

  it('refuses a password flag and plain http to a remote host', async () => {
    const flag = await runCli(['auth', ...target(), '--password', 'hunter2'], { env });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/invalid_request.*--password/);
    const http = await runCli(['auth', '--url', 'http://bio.example.com', '--user', 'admin'], { env });
    expect(http.code).toBe(2);
    expect(http.stderr).toMatch(/settings_invalid/);
  });

  it('auth prints the expiry and never the token', async () => {
    const run = await runCli(['auth', ...target(), '--json'], { env });
    expect(run.code).toBe(0);
    const { data } = JSON.parse(run.stdout);
    expect(Date.parse(data.tokenExpiresAt)).toBeGreaterThan(Date.now());
    const token = server.issuedTokens.at(-1)!;
    expect(run.stdout + run.stderr).not.toContain(token);
    expect(run.stdout + run.stderr).not.toContain(token.split('.')[2]);
  });

  it('takes --url and --user from the kiosk settings when omitted', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'kiosk-cli-settings-'));
    await writeFile(join(dataDir, 'settings.json'), JSON.stringify({ backend: { kind: 'remote', url: server.url, userId: 'admin' } }));
    const run = await runCli(['auth'], { env, dataDir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Authenticated as admin at ${server.url}`);
  });

  it('provisions a station for IT, with the PIN from standard input, that main then opens as set up', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'kiosk-cli-provision-'));
    const run = await runCli(['provision', '--backend', server.url, '--user', 'admin', '--station', 'Desk 9'], { dataDir, stdin: '531975\n' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`set up for ${server.url} as admin`);
    const settings = await readFile(join(dataDir, 'settings.json'), 'utf8');
    expect(settings).toMatch(/"staffPinHash": "scrypt\$/);
    expect(settings).not.toContain('531975');
    const main = await hostMain({ dataDir });
    await expect(main.call('settings.get')).resolves.toMatchObject({
      ok: true,
      data: { provisioned: true, stationName: 'Desk 9', backend: { kind: 'remote', url: server.url, userId: 'admin' } },
    });
    await expect(main.call('staff.unlock', { pin: '531975' })).resolves.toMatchObject({ ok: true });
  });

  it('writes a provisioning file for an installer or MDM, which main applies on its next start', async () => {
    const out = join(dir, 'provisioning.json');
    const run = await runCli(['provision', '--backend', 'local', '--out', out], { stdin: '246813' });
    expect(run.code).toBe(0);
    const dataDir = await mkdtemp(join(tmpdir(), 'kiosk-cli-drop-'));
    await writeFile(join(dataDir, 'provisioning.json'), await readFile(out));
    const main = await hostMain({ dataDir });
    await expect(main.call('staff.unlock', { pin: '246813' })).resolves.toMatchObject({ ok: true });
  });

  it('refuses to provision without a proper PIN or backend, and writes nothing', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'kiosk-cli-provision-'));
    for (const [args, stdin] of [
      [['provision', '--backend', 'local'], '1234'],
      [['provision'], '246810'],
      [['provision', '--backend', 'not a url', '--user', 'x'], '246810'],
    ] as const) {
      const run = await runCli([...args], { dataDir, stdin });
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(/^error \[(invalid_request|settings_invalid)\]/);
    }
    await expect(readFile(join(dataDir, 'settings.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('npm run cli -- audit verify', () => {
  it("checks the station's audit log with the key from the keychain, and names the first record changed behind the kiosk's back", async () => {
    const main = await hostMain();
    await main.asStaff();
    await main.call('settings.update', { language: 'fr' });
    await main.call('audit.exportCsv', {});
    const good = await runCli(['audit', 'verify', '--json'], { dataDir: main.dataDir });
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout)).toMatchObject({ ok: true, data: { broken: null, unsealed: 0, checked: { staff_action: 3 } } });
    expect((await runCli(['audit', 'verify'], { dataDir: main.dataDir })).stdout).toMatch(/^The audit log holds: 0 checks and 3 staff actions/);

    // Someone with the database file hides an export.
    const db = new Database(join(main.dataDir, 'audit.sqlite'));
    db.prepare("UPDATE staff_action SET action = 'settings.updated' WHERE action = 'audit.exported'").run();
    db.close();
    const bad = await runCli(['audit', 'verify'], { dataDir: main.dataDir });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^The audit log does not hold: staff action 3 was altered\./);
  });
});
