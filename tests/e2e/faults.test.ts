/**
 * Faults end to end: the kiosk in Chromium against the fault-injecting test service. Each fault
 * gives its documented screen, nothing hangs, and the next visitor's verification works.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createKeytarStore, keychainAccount } from '../../main/credentials/keychain';
import { startTestServer, type Fault, type TestServer } from '../support/biointellicTestServer';
import { KIOSK_IPD, blinkingFrames, writeMjpeg } from '../../harness/fakeCamera';
import { faceCrop } from '../../harness/faces';
import { axeViolations } from '../support/accessibility';
import type { KioskPage } from '../../scripts/kioskBridge';
import { STAFF_PIN, importIdPhoto, kioskWithMain, staffClosesVisit, startVisit } from '../../harness/mainHost';

let dir: string;
let camera: string;
let server: TestServer;
let open: KioskPage[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiosk-faults-'));
  camera = await writeMjpeg(join(dir, 'good.mjpeg'), await blinkingFrames(KIOSK_IPD));
  await writeFile(join(dir, 'id.jpg'), await faceCrop('C', { margin: 0.8 }));
}, 60_000);
beforeEach(async () => {
  server = await startTestServer({ users: { desk: 'pw' } });
});
afterEach(async () => {
  await Promise.all(open.map((k) => k.close()));
  open = [];
  await createKeytarStore().delete(keychainAccount('desk', server.url));
  await server.close();
});

async function kiosk(options: { timeoutMs?: number } = {}) {
  const { kiosk: page, ...rest } = await kioskWithMain({
    fakeCamera: camera,
    setup: async (main) => {
      await main.asStaff();
      await main.call('settings.update', {
        pin: STAFF_PIN,
        backend: { kind: 'remote', url: server.url, userId: 'desk' },
        requestTimeoutMs: options.timeoutMs ?? 30_000,
      });
      await main.call('credentials.setPassword', { pin: STAFF_PIN, password: 'pw' });
      await main.call('staff.lock');
    },
  });
  open.push(page);
  return rest;
}

/** One visit to its result; `whileChecking` runs on the checking screen (axe-core, for the slow cases). */
async function visit(page: Page, whileChecking?: () => Promise<void>): Promise<string | null> {
  await page.locator('main[data-screen=attract]').waitFor();
  await startVisit(page);
  await importIdPhoto(page, join(dir, 'id.jpg'));
  await page.getByRole('button', { name: 'Use this photo' }).click();
  if (whileChecking) {
    await page.locator('main[data-screen=checking]').waitFor({ timeout: 45_000 });
    await whileChecking();
  }
  await page.locator('main[data-screen=result]').waitFor({ timeout: 45_000 });
  return page.locator('main').getAttribute('data-outcome');
}

/**
 * The visit ends as its screen allows: where a retry can help, the visitor may Finish; otherwise
 * the visit waits for staff (no Finish, no timer) and they close it from their view, where it
 * waits for review. Then the next visitor is verified.
 */
async function nextVisitorIsVerified(page: Page) {
  if (await page.getByRole('button', { name: 'Try again' }).count()) {
    await page.getByRole('button', { name: 'Finish' }).click();
  } else {
    expect(await page.getByRole('button', { name: 'Finish' }).count()).toBe(0);
    await page.getByText('a check is waiting for your review').waitFor();
    await staffClosesVisit(page, () => page.getByRole('heading', { name: 'Review waiting' }).waitFor());
  }
  expect(await visit(page)).toBe('verified');
}

describe('service faults, end to end', () => {
  const cases: Array<{ name: string; faults: Array<['liveness' | 'match', Fault[]]>; outcome: string; text?: string; timeoutMs?: number }> = [
    { name: 'a token expiring between liveness and match is renewed unseen', faults: [['liveness', [{ kind: 'expireTokensAfter' }]]], outcome: 'verified' },
    { name: 'a 500 followed by success is retried unseen', faults: [['liveness', [{ kind: 'status', status: 500 }]]], outcome: 'verified' },
    {
      name: 'a service that never answers ends in a timeout screen',
      faults: [['liveness', [{ kind: 'hang' }, { kind: 'hang' }, { kind: 'hang' }]]],
      outcome: 'error:timeout',
      text: 'did not answer in time',
      timeoutMs: 1_000,
    },
    {
      name: 'a reset connection ends in the unreachable screen',
      faults: [['match', [{ kind: 'reset' }, { kind: 'reset' }, { kind: 'reset' }]]],
      outcome: 'error:network_unreachable',
      text: 'cannot be reached',
    },
    {
      name: 'malformed JSON ends in the protocol screen',
      faults: [['liveness', [{ kind: 'malformed' }]]],
      outcome: 'error:protocol_error',
      text: 'unexpected answer',
    },
    {
      name: 'a 401 that persists after a refresh ends in the refused screen',
      faults: [['liveness', [{ kind: 'unauthorized' }, { kind: 'unauthorized' }]]],
      outcome: 'error:unauthorized',
      text: 'refused this kiosk',
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { page } = await kiosk(c.timeoutMs ? { timeoutMs: c.timeoutMs } : {});
      for (const [endpoint, faults] of c.faults) server.fault(endpoint, ...faults);
      // The slow case stays on the checking screen long enough for axe-core to look at it.
      const checkingScreen = c.timeoutMs ? async () => expect(await axeViolations(page), 'checking').toEqual([]) : undefined;
      expect(await visit(page, checkingScreen)).toBe(c.outcome);
      if (c.text) await page.getByText(c.text).waitFor();
      expect(await axeViolations(page), c.outcome).toEqual([]);
      if (c.outcome !== 'verified') await nextVisitorIsVerified(page);
    });
  }

  it('a keychain that stops answering gives its screen, not a hang, then recovers', async () => {
    const pid = Number(process.env.KIOSK_TEST_KEYRING_PID);
    expect(pid).toBeGreaterThan(0);
    const { page } = await kiosk();
    process.kill(pid, 'SIGSTOP');
    let outcome: string | null;
    try {
      outcome = await visit(page);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    expect(outcome).toBe('error:keychain_unavailable');
    await page.getByText('keychain is locked or unavailable').waitFor();
    await nextVisitorIsVerified(page);
  });
});

describe('camera faults', () => {
  it('explains a blocked camera with a way forward', async () => {
    const { kiosk: k, page } = await kioskWithMain({ fakeCamera: camera, cameraAllowed: false });
    open.push(k);
    await startVisit(page);
    await page.locator('main[data-screen=cameraProblem][data-problem=permission_denied]').waitFor();
    await page.getByText('The camera is blocked. Staff: allow camera access, then try again.').waitFor();
    await page.screenshot({ path: 'test-results/screens/13-camera-blocked.png' });
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.locator('main[data-screen=attract]').waitFor();
  });

  it('shows the unplugged screen when the stream ends mid-capture, and carries on after', async () => {
    const { page } = await kiosk();
    await startVisit(page);
    await importIdPhoto(page, join(dir, 'id.jpg'));
    await page.getByRole('button', { name: 'Use this photo' }).click();
    await page.locator('main[data-screen=live]').waitFor();
    // Chromium's fake device cannot be unplugged: the track's own 'ended' event is raised instead
    // (a simulated fault, the one thing here not produced for real).
    // (A string expression goes through CDP, which the page's CSP does not block; waitForFunction would need eval.)
    await expect.poll(() => page.evaluate("(document.querySelector('video')?.srcObject?.getVideoTracks().length ?? 0) > 0"), { interval: 20 }).toBe(true);
    await page.evaluate("document.querySelector('video').srcObject.getVideoTracks()[0].dispatchEvent(new Event('ended'))");
    await page.locator('main[data-screen=cameraProblem][data-problem=unplugged]').waitFor();
    await page.getByText('The camera was disconnected').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.locator('main[data-screen=result]').waitFor({ timeout: 45_000 });
    expect(await page.locator('main').getAttribute('data-outcome')).toBe('verified');
  });
});
