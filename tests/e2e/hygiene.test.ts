/**
 * Secret and biometric hygiene across the whole app: a verification and a bad-password visit in
 * Chromium, then every log line, IPC result, page storage, the settings file, the audit database
 * and the temp folders are searched for the password, every JWT and the image bytes.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { readdir, readFile, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createKeytarStore, keychainAccount } from '../../main/credentials/keychain';
import { startTestServer } from '../support/biointellicTestServer';
import { KIOSK_IPD, blinkingFrames, writeMjpeg } from '../../harness/fakeCamera';
import { faceCrop } from '../../harness/faces';
import { STAFF_PIN, importIdPhoto, kioskWithMain, staffClosesVisit, startVisit } from '../../harness/mainHost';

const password = `pw-${randomUUID()}`;
const cleanup: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

/** Every file under `dir` modified since `since` (ms), recursively, except under `skip`. */
async function filesSince(dir: string, since: number, skip: string[]): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const out: string[] = [];
  for (const e of entries) {
    const path = join(e.parentPath, e.name);
    if (!e.isFile() || skip.some((s) => path.startsWith(s))) continue;
    // A file may go between the listing and this look (Chromium's profile churns): it holds nothing then.
    const info = statSync(path, { throwIfNoEntry: false });
    if (info && info.mtimeMs >= since && info.size < 50 * 1024 * 1024) out.push(path);
  }
  return out;
}

const JPEG = Buffer.from([0xff, 0xd8, 0xff]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

describe('secret and biometric hygiene', () => {
  it('leaves no password, token or image anywhere after a visit and a bad-password visit', async () => {
    // A temp folder of this test's own (each test file runs in its own process), so what other
    // suites write meanwhile cannot be mistaken for the kiosk's leftovers, nor hide them.
    const isolatedTmp = await mkdtemp(join(tmpdir(), 'kiosk-hygiene-tmp-'));
    process.env.TMPDIR = isolatedTmp;
    const fixtures = await mkdtemp(join(isolatedTmp, 'fixtures-'));
    const camera = await writeMjpeg(join(fixtures, 'cam.mjpeg'), await blinkingFrames(KIOSK_IPD));
    const idPhoto = await faceCrop('C', { margin: 0.8 });
    await writeFile(join(fixtures, 'id.jpg'), idPhoto);
    const server = await startTestServer({ users: { desk: password }, tokenLifetimeSeconds: 3 });
    cleanup.push(
      () => server.close(),
      () => createKeytarStore().delete(keychainAccount('desk', server.url)),
    );

    const { kiosk, page, main } = await kioskWithMain({ fakeCamera: camera });
    cleanup.push(() => kiosk.close());
    const visit = async () => {
      await startVisit(page);
      await importIdPhoto(page, join(fixtures, 'id.jpg'));
      await page.getByRole('button', { name: 'Use this photo' }).click();
      await page.locator('main[data-screen=result]').waitFor({ timeout: 45_000 });
      const outcome = await page.locator('main').getAttribute('data-outcome');
      // A refused password waits for staff (their view shows both images), who close the visit.
      if (outcome === 'verified') await page.getByRole('button', { name: 'Finish' }).click();
      else await staffClosesVisit(page, () => page.getByRole('img', { name: 'Live capture' }).waitFor());
      await page.locator('main[data-screen=attract]').waitFor();
      return outcome;
    };

    // Staff configure the service through the UI's own requests; then a visitor; then a wrong password.
    await main.asStaff();
    await main.call('settings.update', { pin: STAFF_PIN, backend: { kind: 'remote', url: server.url, userId: 'desk' } });
    await main.call('credentials.setPassword', { pin: STAFF_PIN, password });
    await main.call('connection.test');
    await main.call('staff.lock');
    expect(await visit()).toBe('verified');
    await main.call('staff.unlock', { pin: '246810' });
    await main.call('credentials.setPassword', { pin: STAFF_PIN, password: `${password}-wrong` });
    await main.call('audit.list', {});
    await main.call('staff.lock');
    expect(await visit()).toBe('error:credentials_rejected');

    const pageState = await page.evaluate(
      'JSON.stringify({ html: document.documentElement.outerHTML, local: { ...localStorage }, session: { ...sessionStorage }, cookies: document.cookie })',
    );
    const haystack = [...main.logs, ...main.results.map((r) => JSON.stringify(r)), JSON.stringify(main.progress), String(pageState)].join('\n');
    expect(server.issuedTokens.length).toBeGreaterThanOrEqual(1);
    expect(haystack).toContain('credentials_rejected'); // the scenario really ran
    const secrets = [password, ...server.issuedTokens, ...server.issuedTokens.map((t) => t.split('.')[2]!), Buffer.from(`desk:${password}`).toString('base64')];
    for (const secret of secrets) expect(haystack.includes(secret), `secret ${secret.slice(0, 6)}… in logs/IPC/page`).toBe(false);

    // Files: the data folder (settings, audit DB) and everything new in the temp folder.
    const files = [...(await filesSince(main.dataDir, 0, [])), ...(await filesSince(isolatedTmp, 0, [fixtures, main.dataDir]))];
    expect(files.some((f) => f.endsWith('audit.sqlite'))).toBe(true);
    expect(files.some((f) => f.includes('playwright'))).toBe(true); // Chromium's profile was searched too
    const idSlice = idPhoto.subarray(idPhoto.length / 2, idPhoto.length / 2 + 64);
    for (const file of files) {
      const bytes = await readFile(file).catch(() => Buffer.alloc(0));
      for (const secret of secrets) expect(bytes.includes(Buffer.from(secret)), `${file} holds a secret`).toBe(false);
      expect(bytes.includes(idSlice), `${file} holds the ID photo`).toBe(false);
      expect(bytes.subarray(0, 3).equals(JPEG) || bytes.subarray(0, 4).equals(PNG), `${file} is an image`).toBe(false);
    }
  }, 120_000);
});
