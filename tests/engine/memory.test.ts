/**
 * The engine's memory under hostile input, measured on its own process: the engine started by
 * its CLI as IT runs it (one worker, two malloc arenas), its resident memory read from /proc
 * once it has answered a real check, then again after the whole bad-input corpus, 5,000 form
 * fields and 50 MB bodies. The images the test makes live in the test's process, not the engine's.
 */
import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { livenessCapture } from '../../harness/faces';
import { BAD_LIVENESS_FILES } from '../support/badInputs';
import { post } from '../support/engineHost';
import { signingKeyFile, spawnEngine } from '../support/engineProcess';

let engine: ChildProcess;
let url = '';
const basic = `Basic ${Buffer.from('admin:hunter2').toString('base64')}`;

async function residentMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)![1]) / 1024;
}
const token = async () => (await fetch(`${url}/api/authenticate`, { method: 'POST', headers: { authorization: basic } })).text();
const live = async (bytes: Uint8Array) => post(`${url}/api/liveness`, await token(), { data: { bytes, type: 'image/png' } });

beforeAll(async () => {
  ({ child: engine, url } = await spawnEngine(['--port', '0', '--workers', '1', '--signing-key-file', await signingKeyFile()]));
}, 90_000);
afterAll(() => {
  engine.kill('SIGTERM');
});

describe('the engine process under hostile input', () => {
  it('stays within 200 MB of its memory before the bad input, and still answers', async () => {
    expect((await live(await livenessCapture())).status).toBe(200);
    const before = await residentMb(engine.pid!);
    for (const [name, make, status, code] of BAD_LIVENESS_FILES) {
      expect((await live(await make())).body, name).toMatchObject({ statusCode: status, code });
    }
    const fields = new FormData();
    for (let i = 0; i < 5_000; i++) fields.append(`f${i}`, 'x');
    expect((await fetch(`${url}/api/liveness`, { method: 'POST', headers: { authorization: `Bearer ${await token()}` }, body: fields })).status).toBe(413);
    for (let i = 0; i < 3; i++) {
      const form = new FormData();
      form.append('data', new Blob([Buffer.alloc(50 * 1024 * 1024, 1)], { type: 'image/png' }), 'big.png');
      expect((await fetch(`${url}/api/liveness`, { method: 'POST', headers: { authorization: `Bearer ${await token()}` }, body: form })).status).toBe(413);
    }
    const after = await residentMb(engine.pid!);
    console.log(`engine RSS ${before.toFixed(0)} MB before the bad input, ${after.toFixed(0)} MB after`);
    expect(after - before).toBeLessThan(200);
    expect((await live(await livenessCapture())).status).toBe(200);
  });
});
