/**
 * `npm run bench:soak [-- --verifications 200 --seconds 60 --clients 8]`
 *
 * Soak: consecutive verifications through main's real handler table on the built-in engine,
 * reporting latency (first half vs second half), RSS and open handles at start, after warm-up
 * and at the end. Load: concurrent clients against the engine for a fixed time, reporting
 * errors and throughput. Prints numbers; passes nothing.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startEngine } from '../engine/engine';
import { hashPassword } from '../engine/http/users';
import { createBiointellicClient } from '../main/biointellic/client';
import { createKeytarStore } from '../main/credentials/keychain';
import { createKioskMain } from '../main/kioskMain';
import { silentLogger } from '../main/log';
import { normalizeForLiveness, normalizeForMatch } from '../main/imaging/normalize';
import { faceCrop, livenessCapture } from '../harness/faces';
import { provisionStation } from '../harness/mainHost';

const { values } = parseArgs({
  options: { verifications: { type: 'string', default: '200' }, seconds: { type: 'string', default: '60' }, clients: { type: 'string', default: '8' } },
});
const quantile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
const handles = () => (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles().length;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;

// Soak through main's handlers, as the kiosk runs them.
const dataDir = await mkdtemp(join(tmpdir(), 'bench-soak-'));
await provisionStation(dataDir);
const main = await createKioskMain({ dataDir, store: createKeytarStore({ timeoutMs: 1000 }), logger: silentLogger, emitProgress: () => {} });
const { handlers } = main;
const idPhoto = await faceCrop('C', { margin: 0.8 });
const live = await livenessCapture('C');
const start = { rss: process.memoryUsage().rss, handles: handles() };
const times: number[] = [];
let failures = 0;
let warm = start;
const n = Number(values.verifications);
for (let i = 0; i < n; i++) {
  const t = performance.now();
  await handlers['verification.setIdPhoto'](new Uint8Array(idPhoto));
  await handlers['verification.setLivePhoto']({ image: new Uint8Array(live), blink: { seen: true, prompted: false, waitedMs: 0 } });
  const outcome = await handlers['verification.run']({ attempt: 1 }).catch(() => null);
  if (outcome?.decision !== 'verified') failures += 1;
  await handlers['verification.reset'](undefined);
  times.push(performance.now() - t);
  if (i === 9) warm = { rss: process.memoryUsage().rss, handles: handles() };
}
const end = { rss: process.memoryUsage().rss, handles: handles() };
const half = Math.floor(n / 2);
console.log(`Soak: ${n} verifications through main's handlers on the built-in engine (${failures} not verified)`);
console.log(`  latency p50/p95, first half   ${quantile(times.slice(0, half), 0.5).toFixed(0)} / ${quantile(times.slice(0, half), 0.95).toFixed(0)} ms`);
console.log(`  latency p50/p95, second half  ${quantile(times.slice(half), 0.5).toFixed(0)} / ${quantile(times.slice(half), 0.95).toFixed(0)} ms`);
console.log(`  RSS start / after 10 / end    ${mb(start.rss)} / ${mb(warm.rss)} / ${mb(end.rss)}  (growth after warm-up ${mb(end.rss - warm.rss)})`);
console.log(`  open handles start / after 10 / end  ${start.handles} / ${warm.handles} / ${end.handles}`);
await main.close();

// Load: concurrent clients straight at the engine.
const engine = await startEngine({ users: new Map([['load', await hashPassword('load')]]), debugDir: '/nonexistent' });
const png = (await normalizeForLiveness(live)).bytes;
const a = await normalizeForMatch(await faceCrop('A'));
const b = await normalizeForMatch(await faceCrop('A', { margin: 0.9 }));
const until = performance.now() + Number(values.seconds) * 1000;
let requests = 0;
let errors = 0;
const latencies: number[] = [];
await Promise.all(
  Array.from({ length: Number(values.clients) }, async (_, c) => {
    const client = createBiointellicClient({ baseUrl: engine.url, userId: 'load', getPassword: async () => 'load', timeoutMs: 60_000 });
    for (let i = 0; performance.now() < until; i++) {
      const t = performance.now();
      try {
        await ((i + c) % 2 === 0 ? client.liveness(png) : client.match(a, b));
      } catch {
        errors += 1;
      }
      latencies.push(performance.now() - t);
      requests += 1;
    }
  }),
);
await engine.close();
console.log(`\nLoad: ${values.clients} clients for ${values.seconds} s against the engine (half liveness, half match)`);
console.log(
  `  ${requests} requests, ${errors} errors, ${(requests / Number(values.seconds)).toFixed(2)} requests/s, p50/p95 ${quantile(latencies, 0.5).toFixed(0)} / ${quantile(latencies, 0.95).toFixed(0)} ms`,
);
