/** The foundation's client and CLI against the real local engine: the client cannot tell it from the service. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBiointellicClient } from '../../main/biointellic/client';
import { clientFor } from '../support/clientFor';
import { normalizeForLiveness, normalizeForMatch } from '../../main/imaging/normalize';
import { distantCapture, faceCrop, livenessCapture } from '../../harness/faces';
import { hostEngine, type EngineHost } from '../support/engineHost';
import { runCli } from '../support/runCli';

let engine: EngineHost;
/** The engine's and the renewal test's client's clock, stepped instead of waiting tokens out. */
const clock = { ms: Date.now() };
beforeAll(async () => {
  engine = await hostEngine({ now: () => clock.ms });
});
afterAll(() => engine.close());

/** The engine answers at its own pace: the client's usual timeout and backoff. */
const countingClient = () => clientFor(engine, { timeoutMs: 30_000, backoffMs: 300 });

describe('client against the engine', () => {
  it("renews the engine's tokens before they expire, through a run that outlives three, with no failed call", async () => {
    // Hour-long tokens, replaced 12 min before they end: a call every 25 min meets a fresh token,
    // one in the refresh window and one the engine would refuse, and must never send those.
    const { client, seen } = clientFor(engine, { timeoutMs: 30_000, backoffMs: 300, now: () => clock.ms });
    const a = await normalizeForMatch(await faceCrop('A'));
    const b = await normalizeForMatch(await faceCrop('A', { margin: 0.9, quality: 60 }));
    for (let call = 0; call < 6; call++) {
      await expect(client.match(a, b)).resolves.toMatchObject({ pass: true });
      clock.ms += 25 * 60_000;
    }
    expect(seen.authenticate).toBe(3);
    expect(seen.statuses.filter((s) => s !== 200)).toEqual([]);
  });

  it('shares one authentication among 20 concurrent calls', async () => {
    const { client, seen } = countingClient();
    const png = (await normalizeForLiveness(await livenessCapture())).bytes;
    const results = await Promise.all(Array.from({ length: 20 }, () => client.liveness(png)));
    expect(results).toHaveLength(20);
    expect(seen.authenticate).toBe(1);
  });

  it("keeps the engine's own code on a rejected image", async () => {
    const { client } = countingClient();
    const png = (await normalizeForLiveness(await distantCapture())).bytes;
    await expect(client.liveness(png)).rejects.toMatchObject({
      code: 'face_rejected',
      service: { code: 'FACE_TOO_SMALL', message: 'Interpupillary distance is too small' },
    });
  });

  it('answers a wrong password with credentials_rejected', async () => {
    const client = createBiointellicClient({ baseUrl: engine.url, userId: 'admin', getPassword: async () => 'wrong' });
    await expect(client.checkConnection()).rejects.toMatchObject({ code: 'credentials_rejected' });
  });
});

describe('npm run cli -- match against the engine', () => {
  it('prints the result and exits 0 for the same person, 1 for different people', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'engine-cli-'));
    await writeFile(join(dir, 'a.jpg'), await faceCrop('A', { scale: 1.5 }));
    await writeFile(join(dir, 'a2.png'), await faceCrop('A', { format: 'png', margin: 0.8 }));
    await writeFile(join(dir, 'b.jpg'), await faceCrop('B'));
    const env = { BIOINTELLIC_PASSWORD: 'hunter2' };
    const same = await runCli(['match', join(dir, 'a.jpg'), join(dir, 'a2.png'), '--url', engine.url, '--user', 'admin'], { env });
    expect(same.stdout).toMatch(/^PASS {2}match score \d+(\.\d+)? \(PASS ≥ 48\)/);
    expect(same.code).toBe(0);
    const different = await runCli(['match', join(dir, 'a.jpg'), join(dir, 'b.jpg'), '--url', engine.url, '--user', 'admin', '--json'], { env });
    expect(different.code).toBe(1);
    expect(JSON.parse(different.stdout).data).toMatchObject({ pass: false });
  });
});
