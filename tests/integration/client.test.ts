import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { normalizeForLiveness, normalizeForMatch } from '../../main/imaging/normalize';
import { startTestServer, type TestServer } from '../support/biointellicTestServer';
import { clientFor } from '../support/clientFor';
import { makeJpeg, makePng } from '../support/images';

let server: TestServer;
let png: Uint8Array;
/** The service's and the client's clock: token tests step it instead of waiting a token's life out. */
const clock = { ms: 0 };
beforeEach(async () => {
  clock.ms = Date.parse('2026-06-01T09:00:00Z');
  server = await startTestServer({ now: () => clock.ms });
  png ??= (await normalizeForLiveness(await makeJpeg(1280, 720))).bytes;
});
afterEach(() => server.close());

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: { code?: string }) => e.code,
  );

describe('wire format, as the API document shows it', () => {
  it('sends liveness as multipart field "data", image/png, with a filename and ?debug=false', async () => {
    const { client } = clientFor(server);
    const result = await client.liveness(png);
    expect(result).toEqual({ requestId: expect.any(String), score: 0.8755132, pass: true });
    const [auth, call] = server.received;
    expect(auth).toMatchObject({ endpoint: 'authenticate', authorization: `Basic ${Buffer.from('admin:hunter2').toString('base64')}` });
    expect(call).toMatchObject({ endpoint: 'liveness', query: { debug: 'false' }, violations: [], status: 200 });
    expect(call!.authorization).toBe(`Bearer ${server.issuedTokens[0]}`);
    expect(call!.parts).toEqual([{ field: 'data', filename: 'data.png', contentType: 'image/png', bytes: png.byteLength, sniffed: 'png' }]);
  });

  it('sends match as image1/image2 with their real content types, and ?debug=true only when asked', async () => {
    const { client } = clientFor(server);
    const a = await normalizeForMatch(await makeJpeg(800, 600));
    const b = await normalizeForMatch(await makePng(400, 400));
    const result = await client.match(a, b, { debug: true });
    expect(result.score).toBe(67.68598175048828);
    const call = server.received.at(-1)!;
    expect(call).toMatchObject({ endpoint: 'match', query: { debug: 'true' }, violations: [] });
    expect(call.parts.map((p) => [p.field, p.contentType, p.sniffed])).toEqual([
      ['image1', 'image/jpeg', 'jpeg'],
      ['image2', 'image/png', 'png'],
    ]);
  });

  it.each(['bare', 'json-string', 'object'] as const)('reads a token sent as %s', async (format) => {
    server.state.tokenFormat = format;
    const { client } = clientFor(server);
    await expect(client.liveness(png)).resolves.toMatchObject({ pass: true });
  });

  it('reports a failing score as pass=false with the number', async () => {
    server.state.matchResult = { result: '37.68598175048828', pass: false };
    const { client } = clientFor(server);
    const image = await normalizeForMatch(await makeJpeg(300, 300));
    await expect(client.match(image, image)).resolves.toMatchObject({ score: 37.68598175048828, pass: false });
  });
});

describe('tokens', () => {
  it('renews a token before it expires, through a run that outlives three tokens, with no failed call', async () => {
    // 600-s tokens, replaced 120 s before they end (at 479 s): a call every 250 s meets a fresh
    // token, one in the refresh window and one the service would refuse, and must never send those.
    server.state.tokenLifetimeSeconds = 600;
    const { client } = clientFor(server, { now: () => clock.ms });
    for (let call = 0; call < 8; call++) {
      await expect(client.liveness(png)).resolves.toMatchObject({ pass: true });
      clock.ms += 250_000;
    }
    expect(server.count('authenticate')).toBe(4);
    expect(server.received.filter((r) => r.status === 401)).toEqual([]);
  });

  it('authenticates once for 20 concurrent calls', async () => {
    // 20 checks at once take the test server over the 2-s test timeout on a busy machine, and a
    // timed-out call is retried: this test counts authentications, so it allows the time.
    const { client } = clientFor(server, { timeoutMs: 15_000 });
    const results = await Promise.all(Array.from({ length: 20 }, () => client.liveness(png)));
    expect(results.every((r) => r.pass)).toBe(true);
    expect(server.count('authenticate')).toBe(1);
    expect(server.count('liveness')).toBe(20);
  });

  it('after a 401 renews once and retries once', async () => {
    const { client } = clientFor(server);
    await client.liveness(png);
    server.revokeTokens();
    await expect(client.liveness(png)).resolves.toMatchObject({ pass: true });
    expect(server.count('authenticate')).toBe(2);
    expect(server.received.filter((r) => r.endpoint === 'liveness').map((r) => r.status)).toEqual([200, 401, 200]);
  });

  it('gives up with unauthorized when a fresh token is refused too', async () => {
    server.fault('liveness', { kind: 'unauthorized' }, { kind: 'unauthorized' });
    const { client } = clientFor(server);
    await expect(codeOf(client.liveness(png))).resolves.toBe('unauthorized');
    expect(server.count('authenticate')).toBe(2);
    expect(server.count('liveness')).toBe(2);
  });

  it('answers a wrong password with credentials_rejected after exactly one attempt', async () => {
    const { client } = clientFor(server, { getPassword: async () => 'wrong' });
    await expect(codeOf(client.liveness(png))).resolves.toBe('credentials_rejected');
    expect(server.count('authenticate')).toBe(1);
    expect(server.count('liveness')).toBe(0);
  });

  it('reports when the token expires, for the connection test', async () => {
    server.state.tokenLifetimeSeconds = 600;
    const { client } = clientFor(server, { now: () => clock.ms });
    const { expiresAt } = await client.checkConnection();
    // Counted one whole second short (iat and exp are whole seconds).
    expect(expiresAt).toBe(clock.ms + 599_000);
  });
});

describe('faults', () => {
  it('retries a 500 and succeeds', async () => {
    server.fault('liveness', { kind: 'status', status: 500 });
    const { client, logs } = clientFor(server);
    await expect(client.liveness(png)).resolves.toMatchObject({ pass: true });
    expect(server.count('liveness')).toBe(2);
    expect(logs.some((l) => l.includes('biointellic.retry'))).toBe(true);
  });

  it('gives server_error after three 5xx answers, no more', async () => {
    server.fault('match', ...Array.from({ length: 5 }, () => ({ kind: 'status' as const, status: 503 })));
    const { client } = clientFor(server);
    const image = await normalizeForMatch(await makeJpeg(300, 300));
    await expect(codeOf(client.match(image, image))).resolves.toBe('server_error');
    expect(server.count('match')).toBe(3);
  });

  it('waits out a short Retry-After on a 429 and succeeds', async () => {
    server.fault('liveness', { kind: 'status', status: 429, body: 'Too Many Requests', retryAfter: '1' });
    const waited: number[] = [];
    const { client } = clientFor(server, { sleep: async (ms) => void waited.push(ms) });
    await expect(client.liveness(png)).resolves.toMatchObject({ pass: true });
    expect(waited).toEqual([1000]);
  });

  it('hands a long Retry-After back as rate_limited, retriable, with the wait in its words', async () => {
    server.fault('authenticate', { kind: 'status', status: 429, body: 'Too Many Requests', retryAfter: '42' });
    const { client } = clientFor(server);
    const error = await client.liveness(png).then(
      () => null,
      (e: { code?: string; retriable?: boolean; message?: string }) => e,
    );
    expect(error).toMatchObject({ code: 'rate_limited', retriable: true });
    expect(error?.message).toContain('42 s');
    expect(server.count('authenticate')).toBe(1);
  });

  it('turns a 400 into face_rejected, keeping the service code and message, without retrying', async () => {
    server.fault('liveness', { kind: 'reject', code: 'FACE_TOO_SMALL', message: 'Interpupillary distance is too small' });
    const { client } = clientFor(server);
    const error = await client.liveness(png).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'face_rejected',
      retriable: false,
      service: { code: 'FACE_TOO_SMALL', message: 'Interpupillary distance is too small' },
    });
    expect(server.count('liveness')).toBe(1);
  });

  it('times out a request that hangs, within the timeout and its retries', async () => {
    server.fault('liveness', { kind: 'hang' }, { kind: 'hang' }, { kind: 'hang' });
    const { client } = clientFor(server, { timeoutMs: 400 });
    await expect(codeOf(client.liveness(png))).resolves.toBe('timeout');
    expect(server.count('liveness')).toBe(3);
  });

  it('maps a reset connection to network_unreachable after retries', async () => {
    server.fault('liveness', { kind: 'reset' }, { kind: 'reset' }, { kind: 'reset' });
    const { client } = clientFor(server);
    await expect(codeOf(client.liveness(png))).resolves.toBe('network_unreachable');
    expect(server.count('liveness')).toBe(3);
  });

  it('recovers when a reset is followed by a good answer', async () => {
    server.fault('liveness', { kind: 'reset' });
    const { client } = clientFor(server);
    await expect(client.liveness(png)).resolves.toMatchObject({ pass: true });
  });

  it('calls malformed JSON a protocol_error and does not retry it', async () => {
    server.fault('liveness', { kind: 'malformed' });
    const { client } = clientFor(server);
    await expect(codeOf(client.liveness(png))).resolves.toBe('protocol_error');
    expect(server.count('liveness')).toBe(1);
  });

  it('calls an HTML 400 or a 404 a protocol_error, and a 413 image_too_large', async () => {
    server.fault('liveness', { kind: 'status', status: 400, body: '<html>bad</html>' }, { kind: 'status', status: 404 }, { kind: 'status', status: 413 });
    const { client } = clientFor(server);
    await expect(codeOf(client.liveness(png))).resolves.toBe('protocol_error');
    await expect(codeOf(client.liveness(png))).resolves.toBe('protocol_error');
    await expect(codeOf(client.liveness(png))).resolves.toBe('image_too_large');
  });

  it('reports a dead server as network_unreachable', async () => {
    const url = server.url;
    await server.close();
    const { client } = clientFor({ ...server, url });
    await expect(codeOf(client.checkConnection())).resolves.toBe('network_unreachable');
  });

  it('stops with cancelled when the caller aborts', async () => {
    server.fault('liveness', { kind: 'hang' });
    const { client } = clientFor(server, { timeoutMs: 10_000 });
    const controller = new AbortController();
    const pending = client.liveness(png, { signal: controller.signal });
    await expect.poll(() => server.count('liveness')).toBe(1);
    controller.abort();
    await expect(codeOf(pending)).resolves.toBe('cancelled');
  });

  it('refuses a plain-http service that is not on this computer before sending anything', () => {
    expect(() => clientFor({ ...server, url: 'http://bio.example.com' })).toThrowError(expect.objectContaining({ code: 'settings_invalid' }));
  });
});

describe('redirects', () => {
  it('refuses a redirect, so the bearer token never reaches the host it points at', async () => {
    // Another server on 127.0.0.1 that records whatever reaches it.
    const elsewhere: Array<{ url: string | undefined; authorization: string | undefined }> = [];
    const other = createServer((req, res) => {
      elsewhere.push({ url: req.url, authorization: req.headers.authorization });
      res.end('{}');
    });
    await new Promise<void>((done) => other.listen(0, '127.0.0.1', done));
    const otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    // The service itself: a real token, then every check redirected to the other server.
    const redirecting = createServer((req, res) => {
      if (req.url?.startsWith('/api/authenticate')) {
        const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
        const iat = Math.floor(Date.now() / 1000);
        res.end(`${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: 'admin', iat, exp: iat + 3600 })}.signature`);
        return;
      }
      res.writeHead(307, { location: `${otherUrl}${req.url}` }).end();
    });
    await new Promise<void>((done) => redirecting.listen(0, '127.0.0.1', done));
    try {
      const { client } = clientFor({ url: `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}` });
      const failure = await client.liveness(png).then(
        () => null,
        (error: { code?: string; message?: string }) => error,
      );
      expect(failure).toMatchObject({ code: 'protocol_error', message: expect.stringContaining('redirected') });
      expect(elsewhere).toEqual([]);
    } finally {
      await Promise.all([new Promise((done) => other.close(done)), new Promise((done) => redirecting.close(done))]);
    }
  });
});
