import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBiointellicClient } from '../biointellic/client';
import { createLogger } from '../log';
import { netFetch, type ElectronNet } from './netFetch';

// Electron cannot run on these machines: a stand-in with net.fetch's signature (string or
// Request only, as Electron's typings declare) records what the client sends and answers with
// Node's fetch against a real server on 127.0.0.1.
const seen: { input: string | Request; init?: RequestInit }[] = [];
const standIn: ElectronNet = {
  fetch: (input, init) => {
    if (typeof input !== 'string' && !(input instanceof Request)) throw new TypeError('net.fetch takes a string or a Request');
    seen.push({ input, ...(init ? { init } : {}) });
    return fetch(input, init);
  },
};

const server = createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ error: 'not found' }));
});
let base = '';
beforeAll(async () => {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

describe('netFetch', () => {
  it('hands net.fetch a string for a URL object and passes the options through', async () => {
    const controller = new AbortController();
    const response = await netFetch(standIn)(new URL('/api/authenticate', base), { method: 'POST', redirect: 'manual', signal: controller.signal });
    expect(response.status).toBe(200);
    expect(seen.at(-1)).toMatchObject({ input: `${base}/api/authenticate`, init: { method: 'POST', redirect: 'manual', signal: controller.signal } });
  });

  it("carries the client's requests", async () => {
    const before = seen.length;
    const client = createBiointellicClient({
      baseUrl: base,
      userId: 'kiosk',
      getPassword: async () => 'pw',
      timeoutMs: 5_000,
      logger: createLogger(() => undefined),
      fetch: netFetch(standIn),
    });
    // The server answers every request with {"error": "not found"}: no token, so the client says so.
    await expect(client.checkConnection()).rejects.toMatchObject({ code: 'protocol_error' });
    expect(seen.length).toBeGreaterThan(before);
    expect(String(seen.at(-1)!.input)).toContain('/api/authenticate');
  });
});
