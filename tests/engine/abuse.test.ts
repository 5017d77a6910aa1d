/**
 * The engine under hostile or broken input: forged tokens, the debug store, the bind address,
 * and a corpus of bad images and bodies made here. Each gets its documented status and code,
 * nothing crashes (its memory under the same corpus: memory.test.ts).
 */
import { SignJWT, UnsecuredJWT } from 'jose';
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { faceCrop, livenessCapture } from '../../harness/faces';
import { hostEngine, post, type EngineHost } from '../support/engineHost';
import { BAD_LIVENESS_FILES } from '../support/badInputs';

let engine: EngineHost;
let token: string;
/** The engine's token clock: stepped past a token's life instead of waiting it out. */
const clock = { offsetMs: 0 };
beforeAll(async () => {
  engine = await hostEngine({ tokenTtlSeconds: 60, now: () => Date.now() + clock.offsetMs });
  token = await engine.token();
}, 60_000);
afterAll(() => engine.close());

const live = (bytes: Uint8Array, t = token) => post(`${engine.url}/api/liveness`, t, { data: { bytes, type: 'image/png' } });

describe('tokens', () => {
  it('refuses alg "none", another key, a tampered payload and an expired token', async () => {
    const png = await livenessCapture();
    const none = new UnsecuredJWT({ sub: 'admin' }).setIssuedAt().setExpirationTime('1h').encode();
    const otherKey = await new SignJWT({ sub: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('not the engine key'));
    const [h, , sig] = token.split('.');
    const tampered = `${h}.${Buffer.from(JSON.stringify({ sub: 'root', exp: 9_999_999_999 })).toString('base64url')}.${sig}`;
    for (const forged of [none, otherKey, tampered]) {
      expect((await live(png, forged)).body).toMatchObject({ statusCode: 401, code: 'UNAUTHORIZED' });
    }
    const soon = await engine.token();
    clock.offsetMs += 61_000;
    expect((await live(png, soon)).body).toMatchObject({ statusCode: 401, code: 'UNAUTHORIZED', message: 'The token is invalid or has expired' });
  });
});

describe('debug store and bind address', () => {
  it('names stored files itself: a client filename cannot reach outside the debug folder', async () => {
    token = await engine.token();
    const jpeg = await faceCrop('A');
    const { status, body } = await post(`${engine.url}/api/match?debug=true`, token, {
      image1: { bytes: jpeg, type: 'image/jpeg', name: '../../../../tmp/evil.jpg' },
      image2: { bytes: jpeg, type: 'image/jpeg', name: '/etc/passwd' },
    });
    expect(status).toBe(200);
    const [day] = await readdir(engine.debugDir);
    expect(await readdir(`${engine.debugDir}/${day}/${String(body.id)}`)).toEqual(['image1.jpg', 'image2.jpg', 'result.json']);
    expect(await readdir(engine.debugDir)).toEqual([day]);
  });

  it('prunes debug uploads past their retention when it starts, not only when a new one arrives', async () => {
    const debugDir = await mkdtemp(join(tmpdir(), 'engine-debug-old-'));
    const old = join(debugDir, '2020-01-01', '00000000-0000-4000-8000-000000000001');
    await mkdir(old, { recursive: true });
    await writeFile(join(old, 'data.png'), new Uint8Array(10));
    const fresh = join(debugDir, new Date().toISOString().slice(0, 10), '00000000-0000-4000-8000-000000000002');
    await mkdir(fresh, { recursive: true });
    await writeFile(join(fresh, 'data.png'), new Uint8Array(10));
    const restarted = await hostEngine({ debugDir, workers: 1 });
    try {
      expect(await readdir(debugDir)).toEqual([new Date().toISOString().slice(0, 10)]);
    } finally {
      await restarted.close();
    }
  });

  it('cuts off clients that trickle their request, within the request time, not after 30 s or never', async () => {
    const strict = await hostEngine({ workers: 1, connectionLimits: { requestMs: 2_000, idleMs: 2_000 } });
    /** Sends `start`, then one byte every 200 ms (never idle, never done) until the engine closes the socket. */
    const trickle = (start: string) =>
      new Promise<{ received: string; seconds: number }>((done) => {
        const started = Date.now();
        let received = '';
        const socket = connect(strict.port, '127.0.0.1', () => socket.write(start));
        const drip = setInterval(() => socket.write('x'), 200);
        socket.on('data', (chunk) => (received += chunk.toString()));
        socket.on('error', () => undefined); // a reset is a cut-off too: 'close' follows and reports it
        socket.on('close', () => {
          clearInterval(drip);
          done({ received, seconds: (Date.now() - started) / 1000 });
        });
      });
    try {
      // Headers that never end (a slowloris): 408.
      const headers = await trickle('POST /api/authenticate HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
      expect(headers.received.startsWith('HTTP/1.1 408'), headers.received.slice(0, 80)).toBe(true);
      expect(headers.seconds).toBeLessThan(10);
      // A body that never ends: whatever the early answer, the socket is closed.
      const body = await trickle(
        `POST /api/authenticate HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${strict.basic}\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n`,
      );
      expect(body.seconds).toBeGreaterThanOrEqual(1.5);
      expect(body.seconds).toBeLessThan(10);
    } finally {
      await strict.close();
    }
  });

  it('listens on loopback only unless told otherwise', async () => {
    // The socket as the OS bound it, not the URL string it was asked for.
    expect(engine.boundAddress).toBe('127.0.0.1');
  });
});

describe('bad input corpus', () => {
  const cases = BAD_LIVENESS_FILES;
  for (const [name, make, status, code] of cases) {
    it(`answers ${name} with ${status} ${code}`, async () => {
      const bytes = await make();
      token = await engine.token(); // the expiry test above stepped the clock past the last one
      const result = await live(bytes);
      expect(result).toMatchObject({ status, body: { statusCode: status, code } });
    });
  }

  it('answers a CMYK JPEG and an EXIF-rotated JPEG to match like any photo', async () => {
    token = await engine.token();
    const cmyk = await sharp(await faceCrop('A'))
      .toColourspace('cmyk')
      .jpeg()
      .toBuffer();
    const rotated = await sharp(await faceCrop('A', { margin: 0.7 }))
      .rotate(90)
      .jpeg()
      .withMetadata({ orientation: 8 })
      .toBuffer();
    const { status, body } = await post(`${engine.url}/api/match`, token, {
      image1: { bytes: cmyk, type: 'image/jpeg' },
      image2: { bytes: rotated, type: 'image/jpeg' },
    });
    expect(status).toBe(200);
    expect(body.pass).toBe(true);
  });

  it('refuses thousands of form fields, a flood of files and a body far over the limit', async () => {
    // Every body is built first and its token asked for last.
    const fields = new FormData();
    for (let i = 0; i < 5_000; i++) fields.append(`f${i}`, 'x');
    const many = await fetch(`${engine.url}/api/liveness`, { method: 'POST', headers: { authorization: `Bearer ${await engine.token()}` }, body: fields });
    expect(many.status).toBe(413);
    expect(await many.json()).toMatchObject({ code: expect.stringMatching(/^TOO_MANY_(FIELDS|PARTS)$/) });
    const files = new FormData();
    for (let i = 0; i < 20; i++) files.append('data', new Blob([new Uint8Array(10)], { type: 'image/png' }), 'x.png');
    const flood = await fetch(`${engine.url}/api/liveness`, { method: 'POST', headers: { authorization: `Bearer ${await engine.token()}` }, body: files });
    // Twenty files in the one field: refused at the second, before the files limit is reached.
    expect(flood.status).toBe(400);
    expect(await flood.json()).toMatchObject({ code: 'DUPLICATE_FIELD' });
    const form = new FormData();
    form.append('data', new Blob([Buffer.alloc(50 * 1024 * 1024, 1)], { type: 'image/png' }), 'big.png');
    const big = await fetch(`${engine.url}/api/liveness`, { method: 'POST', headers: { authorization: `Bearer ${await engine.token()}` }, body: form });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ code: 'FILE_TOO_LARGE' });
  });

  // Its memory is measured in a process of its own: tests/engine/memory.test.ts.
  it('is still healthy afterwards', async () => {
    token = await engine.token();
    const { status } = await post(`${engine.url}/api/match`, token, {
      image1: { bytes: await faceCrop('A'), type: 'image/jpeg' },
      image2: { bytes: await faceCrop('B'), type: 'image/jpeg' },
    });
    expect(status).toBe(200);
  });
});
