/** The kiosk's default: no service configured, so main starts the built-in engine and verifies through it. */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEngine } from '../../engine/engine';
import { createBiointellicClient } from '../../main/biointellic/client';
import { createKeytarStore } from '../../main/credentials/keychain';
import { EMBEDDED_ACCOUNT, createEmbeddedEngine } from '../../main/engine/embeddedEngine';
import { createLogger } from '../../main/log';
import { faceCrop, livenessCapture, phoneReplay } from '../../harness/faces';
import { STAFF_PIN, hostMain } from '../../harness/mainHost';

const logs: string[] = [];
const store = createKeytarStore();
const embedded = createEmbeddedEngine({ store, dataDir: tmpdir(), logger: createLogger((l) => logs.push(l)), start: (o) => startEngine({ ...o, workers: 2 }) });
afterAll(async () => {
  await embedded.stop();
  await store.delete(EMBEDDED_ACCOUNT);
});

describe('the built-in engine as the default backend', () => {
  it('verifies a visitor end to end on a freshly provisioned station: the built-in engine, no service or password configured', async () => {
    await store.delete(EMBEDDED_ACCOUNT);
    const main = await hostMain({ localBackend: embedded.backend });
    expect(await main.call('settings.get')).toMatchObject({ ok: true, data: { backend: { kind: 'local' }, passwordStored: true } });
    expect(await main.call('verification.setIdPhoto', await faceCrop('C', { margin: 0.5 }))).toMatchObject({ ok: true });
    // The capture as the live step sends it: its face blinked (app/blink.ts).
    const blink = { seen: true, prompted: false, waitedMs: 0 };
    expect(await main.call('verification.setLivePhoto', { image: await livenessCapture('C'), blink })).toMatchObject({ ok: true });
    const result = await main.call('verification.run', { attempt: 1 });
    expect(result).toMatchObject({ ok: true, data: { decision: 'verified', liveness: { pass: true }, match: { pass: true } } });
    expect(main.progress.map((p) => p.stage)).toEqual(['preparing', 'liveness', 'match', 'done']);
  });

  it('prunes debug uploads past their retention the moment debug ends, not only at start or daily', async () => {
    const main = await hostMain({ localBackend: embedded.backend });
    await embedded.backend(); // running: its start-up prune is behind it
    const oldDay = join(tmpdir(), 'engine-debug', '2020-01-01');
    await mkdir(join(oldDay, '00000000-0000-4000-8000-00000000000a'), { recursive: true });
    await writeFile(join(oldDay, '00000000-0000-4000-8000-00000000000a', 'data.png'), new Uint8Array(10));
    await main.asStaff();
    await expect(main.call('settings.update', { pin: STAFF_PIN, debug: true })).resolves.toMatchObject({ ok: true });
    expect(existsSync(oldDay)).toBe(true);
    await expect(main.call('settings.update', { debug: false })).resolves.toMatchObject({ ok: true });
    await expect.poll(() => existsSync(oldDay), { timeout: 10_000 }).toBe(false);
  });

  it('keeps the generated engine password in the keychain and reuses the running engine', async () => {
    const stored = await store.get(EMBEDDED_ACCOUNT);
    expect(stored).toMatch(/^[\w-]{32}$/);
    const [first, second] = await Promise.all([embedded.backend(), embedded.backend()]);
    expect(second.url).toBe(first.url);
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await first.password()).toBe(stored);
    expect(logs.join('\n')).not.toContain(stored!);
  });

  it('tells a different person apart through the same path', async () => {
    const main = await hostMain({ localBackend: embedded.backend });
    await main.call('verification.setIdPhoto', await faceCrop('B'));
    await main.call('verification.setLivePhoto', { image: await livenessCapture('C') });
    expect(await main.call('verification.run', { attempt: 1 })).toMatchObject({ ok: true, data: { decision: 'not_verified', match: { pass: false } } });
  });

  it("takes IT's liveness operating point, and starts anyway on a bad one, saying so in the log", async () => {
    // A phone replay: refused at the calibrated point, accepted by a station set to accept anything.
    const capture = await phoneReplay('C');
    const livenessWith = async (livenessPass: string) => {
      const lines: string[] = [];
      const engine = createEmbeddedEngine({
        store,
        dataDir: tmpdir(),
        logger: createLogger((l) => lines.push(l)),
        start: (o) => startEngine({ ...o, workers: 1 }),
        livenessPass,
      });
      try {
        const backend = await engine.backend();
        const client = createBiointellicClient({ baseUrl: backend.url, userId: backend.userId, getPassword: backend.password });
        return { result: await client.liveness(capture), log: lines.join('\n') };
      } finally {
        await engine.stop();
      }
    };
    const lenient = await livenessWith('0');
    expect(lenient.result.pass).toBe(true);
    const bad = await livenessWith('strict');
    expect(bad.result.pass).toBe(false);
    expect(bad.log).toContain('engine.liveness_pass_ignored');
  });
});
