/**
 * The engine as a shared service: two engine processes started by their CLI with one signing key,
 * behind Debian's nginx as the load balancer, both started here on loopback. A token from one is
 * accepted by the other; kiosk clients run visits through nginx while one replica is stopped with
 * SIGTERM and started again, and no visit fails; /metrics counts exactly what was sent.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readSigningKey } from '../../engine/http/signingKey';
import { faceCrop, livenessCapture } from '../../harness/faces';
import { createBiointellicClient } from '../../main/biointellic/client';
import { hostEngine, post } from '../support/engineHost';
import { freePort } from '../support/freePort';
import { exited, signingKeyFile, spawnEngine } from '../support/engineProcess';
import { runCli } from '../support/runCli';

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((path) => existsSync(path));

let keyFile: string;
const ports: number[] = [];
const replicas: Array<Awaited<ReturnType<typeof spawnEngine>>> = [];
let nginx: ChildProcess;
let balancer = '';
const lines: string[][] = [];

const startReplica = async (index: number) => {
  const replica = await spawnEngine(['--port', String(ports[index]), '--workers', '1', '--signing-key-file', keyFile]);
  replicas[index] = replica;
  lines.push(replica.lines);
  return replica;
};

beforeAll(async () => {
  if (!NGINX) throw new Error('nginx is not installed: scripts/setup.sh installs it');
  keyFile = await signingKeyFile();
  ports.push(await freePort(), await freePort());
  await Promise.all([startReplica(0), startReplica(1)]);
  const dir = await mkdtemp(join(tmpdir(), 'nginx-'));
  const listen = await freePort();
  // POSTs are passed to the next replica only when the connection fails (nothing was sent), never
  // after a request went out: a verification is never sent twice.
  await writeFile(
    join(dir, 'nginx.conf'),
    `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  # Bodies are held in memory and never written to a temporary file: they are faces.
  client_max_body_size 40m;
  client_body_buffer_size 40m;
  proxy_max_temp_file_size 0;
  upstream engines {
    server 127.0.0.1:${ports[0]} max_fails=1 fail_timeout=2s;
    server 127.0.0.1:${ports[1]} max_fails=1 fail_timeout=2s;
  }
  server {
    listen 127.0.0.1:${listen};
    location / {
      proxy_pass http://engines;
      proxy_next_upstream error timeout;
      proxy_read_timeout 60s;
    }
  }
}
`,
  );
  nginx = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { stdio: 'inherit' });
  balancer = `http://127.0.0.1:${listen}`;
  await vi.waitFor(
    async () => {
      if ((await fetch(`${balancer}/healthz`)).status !== 200) throw new Error('nginx is not passing requests yet');
    },
    { timeout: 10_000, interval: 100 },
  );
}, 120_000);

afterAll(async () => {
  nginx?.kill('SIGTERM');
  for (const replica of replicas) replica?.child.kill('SIGKILL');
});

const client = () => createBiointellicClient({ baseUrl: balancer, userId: 'admin', getPassword: async () => 'hunter2', timeoutMs: 60_000, backoffMs: 200 });

/** Sums a counter's samples in Prometheus text whose labels include every one in `labels`. */
async function scraped(url: string, name: string, labels: Record<string, string>): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = /^(\w+)\{([^}]*)\} (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = Object.fromEntries([...match[2]!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) sum += Number(match[3]);
  }
  return sum;
}

describe('two engine replicas behind nginx', () => {
  it("accept each other's tokens; an engine with another key refuses them", async () => {
    const token = await (
      await fetch(`${replicas[0]!.url}/api/authenticate`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from('admin:hunter2').toString('base64')}` },
      })
    ).text();
    const capture = { data: { bytes: await livenessCapture('C'), type: 'image/png' } };
    expect((await post(`${replicas[1]!.url}/api/liveness?debug=false`, token, capture)).status).toBe(200);
    const other = await hostEngine({ workers: 1, signingKey: new Uint8Array(48).map((_, i) => (i * 37 + 11) % 256) });
    try {
      expect((await post(`${other.url}/api/liveness?debug=false`, token, capture)).status).toBe(401);
    } finally {
      await other.close();
    }
    // Both read the same key file; a kiosk engine would have made its own.
    expect((await readSigningKey(keyFile)).byteLength).toBe(48);
  });

  it('refuse to start without the shared key, or on a weak one, saying how to make one', async () => {
    const env = { BIOINTELLIC_ENGINE_PASSWORD: 'hunter2', BIOINTELLIC_ENGINE_SIGNING_KEY_FILE: '' };
    const weak = join(await mkdtemp(join(tmpdir(), 'engine-key-')), 'signing.key');
    await writeFile(weak, 'changeme\n');
    for (const args of [[], ['--signing-key-file', weak]]) {
      const run = await runCli(['--user', 'admin', '--port', '0', ...args], { script: 'engine/cli.ts', env });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('openssl rand -base64 48');
      expect(run.stdout).not.toContain('listening');
    }
  });

  it('say they are alive and ready, and log each request as a JSON line without a token', async () => {
    for (const { url } of replicas) {
      expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'alive' });
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready', workers: 1 });
    }
    const logged = lines.flat().map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logged.some((record) => record.route === '/api/liveness' && record.status === 200)).toBe(true);
    expect(lines.flat().join('\n')).not.toMatch(/Bearer|eyJ[\w-]+\.|hunter2/);
  });

  it('lose no visit while one replica drains on SIGTERM and comes back, and send none twice', async () => {
    const [id, live, capture] = await Promise.all([faceCrop('C'), faceCrop('C', { margin: 0.9 }), livenessCapture('C')]);
    let running = true;
    const failures: unknown[] = [];
    let visits = 0;
    const kiosks = Array.from({ length: 3 }, async () => {
      const kiosk = client();
      while (running) {
        try {
          await kiosk.liveness(capture);
          await kiosk.match({ bytes: id, contentType: 'image/jpeg' }, { bytes: live, contentType: 'image/jpeg' });
          visits += 1;
        } catch (error) {
          failures.push(error);
        }
      }
    });
    // The kiosks stop however this part ends, so a failure here leaves no load on later tests.
    try {
      await expect.poll(() => visits, { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
      const stopping = replicas[0]!;
      stopping.child.kill('SIGTERM');
      expect(await exited(stopping.child)).toBe(0);
      const drained = stopping.lines.map((line) => JSON.parse(line) as { msg?: string });
      expect(drained.map((r) => r.msg).filter((m) => m === 'draining' || m === 'stopped')).toEqual(['draining', 'stopped']);
      const during = visits;
      await expect.poll(() => visits, { timeout: 30_000 }).toBeGreaterThanOrEqual(during + 3);
      const back = await startReplica(0);
      // nginx tries the replica again once its fail_timeout has passed; it then takes its share
      // (of either call: round robin can hand it every liveness and the other every match).
      await expect.poll(() => back.lines.some((line) => line.includes('"msg":"request"') && line.includes('"status":200')), { timeout: 30_000 }).toBe(true);
    } finally {
      running = false;
      await Promise.all(kiosks);
    }
    expect(failures).toEqual([]);
    // Every visit's match answered once, across the three processes that served them. A replica
    // logs a request once its answer has gone out, so its last line may trail the client.
    const answered = () =>
      lines.flat().filter((line) => {
        const r = JSON.parse(line) as { route?: string; status?: number };
        return r.route === '/api/match' && r.status === 200;
      }).length;
    await expect.poll(answered, { timeout: 5_000 }).toBe(visits);
  }, 180_000);

  it('count in /metrics exactly the requests sent, by route, status and refusal code', async () => {
    const count = () =>
      Promise.all(replicas.map(({ url }) => scraped(url, 'biointellic_engine_requests_total', { route: '/api/liveness', status: '200' }))).then((xs) =>
        xs.reduce((a, b) => a + b, 0),
      );
    const refusals = () =>
      Promise.all(replicas.map(({ url }) => scraped(url, 'biointellic_engine_refusals_total', { code: 'INVALID_IMAGE' }))).then((xs) =>
        xs.reduce((a, b) => a + b, 0),
      );
    const [before, refusedBefore] = [await count(), await refusals()];
    const kiosk = client();
    const capture = await livenessCapture('C');
    for (let i = 0; i < 7; i++) await kiosk.liveness(capture);
    const token = await (
      await fetch(`${balancer}/api/authenticate`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from('admin:hunter2').toString('base64')}` } })
    ).text();
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    for (let i = 0; i < 2; i++)
      expect((await post(`${balancer}/api/liveness?debug=false`, token, { data: { bytes: png, type: 'image/png' } })).status).toBe(400);
    expect((await count()) - before).toBe(7);
    expect((await refusals()) - refusedBefore).toBe(2);
    const stages = await scraped(replicas[1]!.url, 'biointellic_engine_analysis_stage_seconds_count', { kind: 'liveness', stage: 'detect' });
    expect(stages).toBeGreaterThan(0);
  });
});
