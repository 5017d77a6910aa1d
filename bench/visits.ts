/**
 * `npm run bench:visits -- --feed <video.mjpeg> [--feed …] (--id <portrait.jpg> | --id-feed <document.mjpeg>) [--attempts N] [--manual-after S] [--timeout S] [--blink-check off|passive|prompt] [--json]`
 *
 * Whole visits on a video feed: the built kiosk in headless Chromium with the feed as its camera
 * (Chromium's fake device, looping the file) and the built-in engine at its default operating
 * points. Each visit: Start → ID import → live step → result, retrying while the result screen
 * offers it, up to N attempts. Printed per visit: time to auto-capture, the instructions shown and
 * how long each held, the number of instruction changes, guidance frames per second, each
 * attempt's outcome, and the final screen. `--json` prints one object per visit.
 *
 * `npm run bench:visits -- --make-feed <video.mjpeg> --out <dir> [--ipd N]` makes, from any MJPEG
 * video, a kiosk-distance feed `<name>_ipdN.mjpeg` (scaled and padded to 1280×720 so the pupils of
 * its frontal frames are N px apart; by default the middle of guidance's distance range) and an ID
 * portrait `<name>_id.jpg` (the most frontal frame's face, cropped as an ID step would): visitFeeds.ts.
 *
 * `--id-feed`: the ID step sees a camera feed of a document instead of an imported portrait, so a
 * whole visit runs from two videos: the camera's file holds the document until the ID step has
 * captured it by itself, then the visitor's feed is moved into its place before the live step opens
 * the camera (Chromium's fake camera reads its file again at every opening; the ID camera, still
 * open, keeps reading the file it opened). Printed besides: the time from the card's outline to the
 * confirm screen, and what the document step concluded (MRZ, expiry).
 * `npm run bench:visits -- --make-id-feed <document.jpg> --out <dir>` makes such a feed from a flat
 * image of a document (bench/visitFeeds.ts, makeIdFeed).
 *
 * `npm run bench:visits -- --make-print <feed.mjpeg> --out <dir>` makes two presentation attacks
 * from a kiosk-distance feed: one of its frames printed and moved by hand, filling the view
 * (`<feed>_print_full.mjpeg`) or with a margin on a wall (`<feed>_print_margin.mjpeg`); play them
 * with the feed's own ID portrait so the attack is a whole visit.
 */
import Database from 'better-sqlite3';
import { copyFile, mkdtemp, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startEngine } from '../engine/engine';
import { createKeytarStore } from '../main/credentials/keychain';
import { createEmbeddedEngine } from '../main/engine/embeddedEngine';
import { silentLogger } from '../main/log';
import { BLINK_CHECKS, type BlinkCheck } from '../app/blink';
import { importIdPhoto, kioskWithMain, startVisit, type MainHost } from '../harness/mainHost';
import { quantiles } from './metrics';
import { makeIdFeed, makePrintFeeds, makeVisitFeed } from './visitFeeds';

const { values } = parseArgs({
  options: {
    feed: { type: 'string', multiple: true },
    id: { type: 'string' },
    'id-feed': { type: 'string' },
    'make-id-feed': { type: 'string' },
    attempts: { type: 'string', default: '2' },
    'manual-after': { type: 'string' },
    timeout: { type: 'string', default: '30' },
    json: { type: 'boolean', default: false },
    'make-feed': { type: 'string' },
    'make-print': { type: 'string' },
    'blink-check': { type: 'string' },
    out: { type: 'string' },
    ipd: { type: 'string' },
  },
});

if (values['make-feed']) {
  if (!values.out) throw new Error('--make-feed needs --out <dir>');
  const made = await makeVisitFeed(values['make-feed'], values.out, values.ipd ? Number(values.ipd) : undefined);
  console.log(JSON.stringify(made, null, 2));
  process.exit(0);
}
if (values['make-id-feed']) {
  if (!values.out) throw new Error('--make-id-feed needs --out <dir>');
  console.log(JSON.stringify(await makeIdFeed(values['make-id-feed'], values.out), null, 2));
  process.exit(0);
}
if (values['make-print']) {
  if (!values.out) throw new Error('--make-print needs --out <dir>');
  console.log(JSON.stringify(await makePrintFeeds(values['make-print'], values.out), null, 2));
  process.exit(0);
}
if (!values.feed?.length || !(values.id || values['id-feed'])) {
  console.error(
    'Usage: npm run bench:visits -- --feed <video.mjpeg> [--feed …] (--id <portrait.jpg> | --id-feed <document.mjpeg>) [--attempts N] [--manual-after S] [--timeout S] [--json]\n       npm run bench:visits -- --make-feed <video.mjpeg> --out <dir> [--ipd N]\n       npm run bench:visits -- --make-id-feed <document.jpg> --out <dir>\n       npm run bench:visits -- --make-print <feed.mjpeg> --out <dir>',
  );
  process.exit(2);
}

export interface Visit {
  feed: string;
  /** Main's decision per check as its audit log recorded it (decision, reason, blink). */
  checks: string[];
  /** From the first instruction on screen to the capture (the live step ending), per attempt; null: none. */
  autoCaptureMs: number | null;
  /** The final screen's kind: verified, not_verified, ask_staff, timeout, error:<code>. */
  outcome: string;
  /** Each attempt's screen after the capture, and why: not_live, no_match, or the service's code for a retake or an error. */
  attempts: Array<{
    outcome: string;
    reason: string | null;
    captureMs: number | null;
    manual: boolean;
    /** The blink check at the capture (app/blink.ts): `seen` before the photo was chosen, `prompt` or `passive` when it waited, '' when off. */
    blink: string;
    /** How long the capture waited for a blink after the photo was chosen (part of captureMs). */
    blinkWaitMs: number;
  }>;
  instructionChanges: number;
  instructions: Array<{ instruction: string; heldMs: number }>;
  fps: { median: number; p10: number };
  /** Median pupil distance guidance measured over the visit (camera pixels): what "move closer" was judged on. */
  ipd: number;
  /** The full-size re-check's refusals of a chosen frame over the visit, and the last reason. */
  refused: string;
  /** The first attempt's frames by their own judgment (good, each hard rule, each advice): what held the capture back. */
  judged: string;
  /** With --id-feed: the card's outline to the confirm screen (null: no auto-capture), and what the document step concluded. */
  document: { captureMs: number | null; mrz: string | null; expiry: string | null; stages: DocumentStages | null } | null;
}

/**
 * The ID step from its capture to the fields on screen, per stage (ms), from IdStep's performance
 * marks: the frame's JPEG, main finding and straightening the document, then at once the portrait
 * search (renderer) and the MRZ read (main), the portrait stored, the confirm screen drawn.
 * `bridge`: the part of straightening main did not spend (the harness's Playwright bridge carrying
 * the frame and the straightened document as base64, where Electron's IPC copies them).
 */
type DocumentStages = {
  encode: number;
  straighten: number;
  bridge: number;
  portrait: number;
  mrz: number;
  store: number;
  screen: number;
  total: number;
  /** The total less the bridge's share of straightening: the kiosk's own time. */
  lessBridge: number;
};

/** The last capture's marks and the first idConfirm screen after it: null when the capture was not marked whole. */
function documentStages(marks: Record<string, number>, log: readonly LogEntry[], mainStraightenMs: number): DocumentStages | null {
  const at = (name: string) => marks[`id.${name}`] ?? Number.NaN;
  const captured = at('captured');
  const shown = log.find((e) => e.screen === 'idConfirm' && e.t >= captured)?.t ?? Number.NaN;
  const straighten = at('straightened') - at('encoded');
  const bridge = straighten - mainStraightenMs;
  const stages = {
    encode: at('encoded') - captured,
    straighten,
    bridge,
    portrait: at('portrait') - at('straightened'),
    mrz: at('read') - at('straightened'),
    store: at('stored') - Math.max(at('portrait'), at('read')),
    screen: shown - at('stored'),
    total: shown - captured,
    lessBridge: shown - captured - bridge,
  };
  return Object.values(stages).some(Number.isNaN) ? null : stages;
}

interface LogEntry {
  t: number;
  instruction: string | null;
  fps: number;
  /** The main face's pupil distance as guidance measured it, in camera pixels. */
  ipd: number;
  screen: string | null;
  /** The full-size re-check's refusals so far and the last reason (useGuidance.ts). */
  refused: string;
  /** Every frame's own judgment so far, counted (useGuidance.ts). */
  judged: string;
  /** The blink check's state (LiveStep.tsx data-blink). */
  blink: string;
}

/** Each live step in the log: from its first instruction on screen to the screen after it. */
function liveSegments(log: readonly LogEntry[]) {
  const segments: Array<{ first: number | null; end: number | null; captureMs: number | null; blink: string; waitFrom: number | null; blinkWaitMs: number }> =
    [];
  let current: (typeof segments)[number] | null = null;
  for (const e of log) {
    if (e.screen === 'live') {
      if (!current) segments.push((current = { first: null, end: null, captureMs: null, blink: '', waitFrom: null, blinkWaitMs: 0 }));
      if (current.first === null && e.instruction) current.first = e.t;
      if (e.blink) current.blink = e.blink;
      if ((e.blink === 'prompt' || e.blink === 'passive') && current.waitFrom === null) current.waitFrom = e.t;
    } else if (current) {
      current.end = e.t;
      if (current.first !== null) current.captureMs = current.end - current.first;
      if (current.waitFrom !== null) current.blinkWaitMs = current.end - current.waitFrom;
      current = null;
    }
  }
  return segments;
}

const dir = await mkdtemp(join(tmpdir(), 'bench-visits-'));
const embedded = createEmbeddedEngine({ store: createKeytarStore({ timeoutMs: 1000 }), dataDir: dir, logger: silentLogger, start: (o) => startEngine(o) });
await embedded.backend();

async function visit(feed: string): Promise<Visit> {
  // Chromium opens the file from its own working directory: give it an absolute path.
  const check = values['blink-check'];
  if (check !== undefined && !(BLINK_CHECKS as readonly string[]).includes(check)) throw new Error(`--blink-check is one of ${BLINK_CHECKS.join(', ')}`);
  const idFeed = values['id-feed'];
  // With a document feed the camera's file starts as the document and becomes the visitor's feed.
  const camera = idFeed ? join(dir, `camera-${visits.length}.mjpeg`) : resolve(feed);
  if (idFeed) await copyFile(idFeed, camera);
  const { kiosk, main } = await kioskWithMain({
    fakeCamera: camera,
    localBackend: embedded.backend,
    ...(check
      ? {
          setup: async (m: MainHost) => {
            await m.asStaff();
            await m.call('settings.update', { blinkCheck: check as BlinkCheck });
            await m.call('staff.lock');
          },
        }
      : {}),
  });
  const page = kiosk.page;
  try {
    // Every change of the screen, its settled instruction and its fps, with its time, kept in the page
    // (a string: this project's Node code is not typed against the DOM).
    await page.evaluate(`(() => {
      const log = (window.visitLog = []);
      const record = () => {
        const main = document.querySelector('main');
        log.push({ t: performance.now(), instruction: main?.getAttribute('data-instruction') ?? null, fps: Number(main?.getAttribute('data-fps') ?? 0), ipd: Number(main?.getAttribute('data-ipd') ?? 0), screen: main?.getAttribute('data-screen') ?? null, refused: main?.getAttribute('data-refused') ?? '', judged: main?.getAttribute('data-judged') ?? '', blink: main?.getAttribute('data-blink') ?? '' });
      };
      new MutationObserver(record).observe(document.body, { subtree: true, attributes: true, childList: true, attributeFilter: ['data-instruction', 'data-fps', 'data-ipd', 'data-screen', 'data-refused', 'data-judged', 'data-blink'] });
    })()`);
    const visitLog = () => page.evaluate('window.visitLog') as Promise<LogEntry[]>;
    await startVisit(page);
    let document: Visit['document'] = null;
    if (idFeed) {
      await page.locator('.document-outline').waitFor({ timeout: 30_000 });
      const outlined = Date.now();
      const confirmed = await page
        .locator('main[data-screen=idConfirm]')
        .waitFor({ timeout: values.timeout ? Number(values.timeout) * 1000 : 30_000 })
        .then(() => true)
        .catch(() => false);
      const captureMs = confirmed ? Date.now() - outlined : null;
      if (!confirmed) await page.getByRole('button', { name: 'Take photo' }).click();
      const summary = page.locator('.document-summary');
      await summary.waitFor();
      const marks = (await page.evaluate(
        `Object.fromEntries(performance.getEntriesByType('mark').filter((m) => m.name.startsWith('id.')).map((m) => [m.name, m.startTime]))`,
      )) as Record<string, number>;
      document = {
        captureMs,
        mrz: await summary.getAttribute('data-document-mrz'),
        expiry: await summary.getAttribute('data-document-expiry'),
        stages: documentStages(marks, await visitLog(), kiosk.calls.findLast((c) => c.channel === 'verification.setIdDocument')?.ms ?? Number.NaN),
      };
      // The visitor steps up: their feed takes the document's place before the live step opens the camera.
      await copyFile(resolve(feed), `${camera}.next`);
      await rename(`${camera}.next`, camera);
    } else {
      await importIdPhoto(page, values.id!);
    }
    await page
      .getByRole('button', { name: 'Use this photo' })
      .click({ timeout: 15_000 })
      .catch(async (error: unknown) => {
        throw new Error(
          `ID step stopped on screen "${await page.locator('main').getAttribute('data-screen')}" (${await page
            .locator('main')
            .innerText()
            .then((t) => t.replace(/\s+/g, ' ').slice(0, 120))}): ${String(error).split('\n')[0]}`,
        );
      });
    const attempts: Visit['attempts'] = [];
    const maxAttempts = Number(values.attempts);
    const timeoutMs = Number(values.timeout) * 1000;
    const manualAfterMs = values['manual-after'] === undefined ? null : Number(values['manual-after']) * 1000;
    let outcome = 'timeout';
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      await page.locator('main[data-screen=live]').waitFor();
      const start = Date.now();
      let manual = false;
      // Wait for the live step to end: auto-capture, or a manual capture when asked for.
      for (;;) {
        const screen = await page.locator('main').getAttribute('data-screen');
        if (screen !== 'live') break;
        const elapsed = Date.now() - start;
        if (elapsed > timeoutMs) break;
        if (manualAfterMs !== null && elapsed > manualAfterMs && !manual && (await page.getByRole('button', { name: 'Take photo now' }).isVisible())) {
          manual = true;
          await page.getByRole('button', { name: 'Take photo now' }).click();
        }
        await page.waitForTimeout(100);
      }
      const segment = liveSegments(await visitLog())[attempt - 1];
      const captureMs = segment?.captureMs ?? null;
      const blink = { blink: segment?.blink ?? '', blinkWaitMs: segment?.blinkWaitMs ?? 0 };
      if ((await page.locator('main').getAttribute('data-screen')) === 'live') {
        attempts.push({ outcome: 'timeout', reason: null, captureMs: null, manual, ...blink });
        outcome = 'timeout';
        break;
      }
      // After the capture: a result, a return to the live step (a retake), or staff.
      await page.locator('main[data-screen=result], main[data-screen=askStaff], main[data-screen=live]').first().waitFor({ timeout: 60_000 });
      const screen = await page.locator('main').getAttribute('data-screen');
      const kind = screen === 'result' ? ((await page.locator('main').getAttribute('data-outcome')) ?? 'unknown') : screen === 'live' ? 'retake' : 'ask_staff';
      const reason = await page.locator('main').getAttribute(screen === 'live' ? 'data-retake' : 'data-reason');
      attempts.push({ outcome: kind, reason, captureMs: manual ? null : captureMs, manual, ...blink });
      outcome = kind;
      if (screen === 'live') continue;
      if (screen !== 'result') break;
      const retry = page.getByRole('button', { name: 'Try again' });
      if (attempt < maxAttempts && (await retry.isVisible())) await retry.click();
      else break;
    }
    const log = await visitLog();
    const shown: Visit['instructions'] = [];
    log.forEach((e, i) => {
      if (e.screen !== 'live' || !e.instruction) return;
      const last = shown.at(-1);
      const held = (log[i + 1]?.t ?? e.t) - e.t;
      if (last && last.instruction === e.instruction) last.heldMs += held;
      else shown.push({ instruction: e.instruction, heldMs: held });
    });
    const live = log.filter((e) => e.screen === 'live');
    // What main decided per check, with the blink check's word, from the station's own audit log.
    const db = new Database(join(main.dataDir, 'audit.sqlite'), { readonly: true });
    const checks = (db.prepare('SELECT decision, rejectionCode, blink FROM verification ORDER BY id').all() as Array<Record<string, string | null>>).map(
      (r) => `${r.decision}${r.rejectionCode ? ` (${r.rejectionCode})` : ''} blink=${r.blink ?? 'off'}`,
    );
    db.close();
    const fps = quantiles(live.map((e) => e.fps).filter((f) => f > 0));
    return {
      feed: basename(feed),
      checks,
      autoCaptureMs: attempts.find((a) => a.captureMs !== null)?.captureMs ?? null,
      outcome,
      attempts,
      instructionChanges: Math.max(0, shown.length - 1),
      instructions: shown,
      fps: { median: fps.median, p10: fps.p10 },
      ipd: quantiles(live.map((e) => e.ipd).filter((d) => d > 0)).median,
      refused:
        live
          .map((e) => e.refused)
          .filter(Boolean)
          .at(-1) ?? '',
      judged:
        live
          .map((e) => e.judged)
          .filter(Boolean)
          .at(-1) ?? '',
      document,
    };
  } finally {
    await kiosk.close();
    await main.close();
  }
}

/** A visit the harness could not drive to its end is reported with the screen it stopped on. */
async function safeVisit(feed: string): Promise<Visit> {
  try {
    return await visit(feed);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    return {
      feed: basename(feed),
      checks: [],
      autoCaptureMs: null,
      outcome: `harness_error: ${message}`,
      attempts: [],
      instructionChanges: 0,
      instructions: [],
      fps: { median: Number.NaN, p10: Number.NaN },
      ipd: Number.NaN,
      refused: '',
      judged: '',
      document: null,
    };
  }
}

const visits: Visit[] = [];
for (const feed of values.feed) visits.push(await safeVisit(feed));
await embedded.stop();

if (values.json) {
  for (const v of visits) console.log(JSON.stringify(v));
} else {
  const id = values['id-feed'] ? `ID feed ${basename(values['id-feed'])}` : `ID ${basename(values.id!)}`;
  console.log(`Visits on video feeds (built kiosk, headless Chromium, built-in engine), up to ${values.attempts} attempts, ${id}\n`);
  const documents = visits.map((v) => v.document).filter((d) => d !== null);
  if (documents.length) {
    const held = quantiles(documents.map((d) => d.captureMs).filter((ms) => ms !== null));
    console.log(
      `ID step on the document feed: captured by itself in ${documents.filter((d) => d.captureMs !== null).length} of ${documents.length} visits, outline to confirm screen median ${(held.median / 1000).toFixed(1)} s, worst ${(held.max / 1000).toFixed(1)} s; MRZ ${documents.map((d) => d.mrz).join(', ')}; expiry ${documents.map((d) => d.expiry).join(', ')}`,
    );
    const staged = documents.map((d) => d.stages).filter((s) => s !== null);
    const stage = (key: keyof DocumentStages) => {
      const q = quantiles(staged.map((s) => s[key]));
      return `${key} ${Math.round(q.median)} (${Math.round(q.min)}–${Math.round(q.max)})`;
    };
    console.log(
      `Capture → fields on screen, ms, median (range) of ${staged.length} (portrait and mrz at once): ${(['encode', 'straighten', 'bridge', 'portrait', 'mrz', 'store', 'screen', 'total', 'lessBridge'] as const).map(stage).join(', ')}\n`,
    );
  }
  console.log(
    '| feed | auto-capture | attempts | checks (audit log) | final screen | instruction changes | guidance fps (median / p10) | pupils (px, median) | re-check refusals | instructions shown (held) |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  const captured = visits.map((v) => v.autoCaptureMs).filter((ms): ms is number => ms !== null);
  const times = quantiles(captured);
  const firsts = visits.map((v) => v.attempts[0]).filter((a) => a !== undefined && a.captureMs !== null);
  const waits = quantiles(firsts.map((a) => a!.blinkWaitMs));
  console.log(
    `Blink check, first attempts: ${firsts.filter((a) => a!.blink === 'seen').length} of ${firsts.length} blinked before the photo was chosen; the wait for a blink added median ${(waits.median / 1000).toFixed(1)} s, worst ${(waits.max / 1000).toFixed(1)} s\n`,
  );
  console.log(
    `Auto-capture: ${captured.length} of ${visits.length} visits; time to capture median ${(times.median / 1000).toFixed(1)} s, worst ${(times.max / 1000).toFixed(1)} s; instruction changes at most ${Math.max(0, ...visits.map((v) => v.instructionChanges))}\n`,
  );
  for (const v of visits) {
    const capture = v.autoCaptureMs === null ? 'none' : `${(v.autoCaptureMs / 1000).toFixed(1)} s`;
    const steps = v.instructions.map((i) => `${i.instruction} ${(i.heldMs / 1000).toFixed(1)} s`).join(' → ');
    console.log(
      `| ${v.feed} | ${capture} | ${v.attempts.map((a) => `${a.outcome}${a.reason ? ` (${a.reason})` : ''}${a.manual ? ' (manual)' : ''}${a.blink ? ` [blink: ${a.blink}${a.blinkWaitMs ? ` ${(a.blinkWaitMs / 1000).toFixed(1)} s` : ''}]` : ''}`).join(', ')} | ${v.checks.join('; ')} | ${v.outcome} | ${v.instructionChanges} | ${v.fps.median} / ${v.fps.p10} | ${v.ipd} | ${v.refused || 0} | ${steps} |`,
    );
  }
}
