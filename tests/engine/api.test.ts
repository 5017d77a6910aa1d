/**
 * The local engine against the API document: the document's own curl examples, every error
 * path's status and shape, real faces (from @vladmandic/face-api's sample photos) and the debug flag.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distantCapture, faceCrop, groupPhoto, livenessCapture, noFacePhoto } from '../../harness/faces';
import { hostEngine, post, type EngineHost } from '../support/engineHost';

const run = promisify(execFile);
let engine: EngineHost;
let token: string;
let dir: string;

beforeAll(async () => {
  engine = await hostEngine();
  token = await engine.token();
  dir = await mkdtemp(join(tmpdir(), 'engine-curl-'));
  await writeFile(join(dir, 'face.png'), await livenessCapture());
  await writeFile(join(dir, 'face1.jpg'), await faceCrop('A'));
  await writeFile(join(dir, 'face2.jpg'), await faceCrop('A', { margin: 1, scale: 0.6, quality: 55 }));
}, 60_000);
afterAll(() => engine.close());

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("the API document's curl examples, as written", () => {
  it('authenticate: Basic credentials give a JWT as the body', async () => {
    const { stdout } = await run('curl', [
      '-s',
      '--location',
      '--request',
      'POST',
      `${engine.url}/api/authenticate`,
      '--header',
      `authorization: ${engine.basic}`,
    ]);
    expect(stdout).toMatch(/^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+$/);
    const payload = JSON.parse(Buffer.from(stdout.split('.')[1]!, 'base64url').toString());
    expect(payload).toMatchObject({ sub: 'admin' });
    expect(payload.exp - payload.iat).toBe(3600);
  });

  it('liveness: -F data=@face with a Bearer token', async () => {
    const { stdout } = await run('curl', [
      '-F',
      `data=@${join(dir, 'face.png')}`,
      '-H',
      `Authorization: Bearer ${token}`,
      '-X',
      'POST',
      `${engine.url}/api/liveness?debug=false`,
    ]);
    const body = JSON.parse(stdout);
    expect(Object.keys(body).sort()).toEqual(['id', 'pass', 'result', 'service', 'userId']);
    expect(body).toMatchObject({ id: expect.stringMatching(uuid), service: 'LIVENESS', userId: 'admin', pass: expect.any(Boolean) });
    const score = Number(body.result);
    expect(typeof body.result).toBe('string');
    expect(score).toBeGreaterThanOrEqual(0);
    expect(score).toBeLessThanOrEqual(1);
  });

  it('match: image1 and image2 of the same person under another crop, scale and JPEG quality pass', async () => {
    const { stdout } = await run('curl', [
      '-X',
      'POST',
      '-H',
      `Authorization: Bearer ${token}`,
      '-F',
      `image1=@${join(dir, 'face1.jpg')}`,
      '-F',
      `image2=@${join(dir, 'face2.jpg')}`,
      `${engine.url}/api/match?debug=false`,
    ]);
    const body = JSON.parse(stdout);
    expect(body).toMatchObject({ id: expect.stringMatching(uuid), service: 'MATCH', userId: 'admin', pass: true });
    expect(Number(body.result)).toBeGreaterThanOrEqual(48);
  });
});

describe('match on real faces', () => {
  it('does not match two different people', async () => {
    const { status, body } = await post(`${engine.url}/api/match`, token, {
      image1: { bytes: await faceCrop('A'), type: 'image/jpeg' },
      image2: { bytes: await faceCrop('B', { format: 'png' }), type: 'image/png' },
    });
    expect(status).toBe(200);
    expect(body.pass).toBe(false);
    expect(Number(body.result)).toBeLessThan(48);
  });

  it('answers a picture with no face with the document code -3491', async () => {
    const { status, body } = await post(`${engine.url}/api/match`, token, {
      image1: { bytes: await faceCrop('A'), type: 'image/jpeg' },
      image2: { bytes: await noFacePhoto(), type: 'image/jpeg' },
    });
    expect(status).toBe(400);
    expect(body).toEqual({ statusCode: 400, code: '-3491', error: 'Bad Request', message: 'Plugin Face - Unable to find the face image' });
  });

  it('answers a group photo with MULTIPLE_FACES', async () => {
    const { status, body } = await post(`${engine.url}/api/match`, token, {
      image1: { bytes: await groupPhoto(), type: 'image/jpeg' },
      image2: { bytes: await faceCrop('A'), type: 'image/jpeg' },
    });
    expect(status).toBe(400);
    expect(body).toMatchObject({ statusCode: 400, code: 'MULTIPLE_FACES', error: 'Bad Request' });
  });
});

describe('quality gates', () => {
  const live = (bytes: Uint8Array, type = 'image/png') => post(`${engine.url}/api/liveness`, token, { data: { bytes, type } });

  it('refuses a JPEG for liveness, and a PNG under 480 px high', async () => {
    expect((await live(await faceCrop('C', { margin: 1, scale: 1.2 }), 'image/jpeg')).body).toMatchObject({ code: 'IMAGE_NOT_PNG' });
    expect((await live(await faceCrop('C', { format: 'png', margin: 0.3 }))).body).toMatchObject({ code: 'IMAGE_TOO_SMALL' });
  });

  it('refuses a face too far away with FACE_TOO_SMALL and the document message', async () => {
    const { status, body } = await live(await distantCapture());
    expect(status).toBe(400);
    expect(body).toEqual({ statusCode: 400, code: 'FACE_TOO_SMALL', error: 'Bad Request', message: 'Interpupillary distance is too small' });
  });

  it('refuses a group for liveness and a frame with no face', async () => {
    const group = await (
      await import('sharp')
    )
      .default(await groupPhoto())
      .resize({ height: 720 })
      .png()
      .toBuffer();
    expect((await live(group)).body).toMatchObject({ code: 'MULTIPLE_FACES' });
    const empty = await (
      await import('sharp')
    )
      .default(await noFacePhoto())
      .resize({ height: 720 })
      .png()
      .toBuffer();
    expect((await live(empty)).body).toMatchObject({ code: 'FACE_NOT_FOUND' });
  });

  it('refuses match images outside 150..1024 px, over 2 MB, or not JPEG/PNG', async () => {
    const sharp = (await import('sharp')).default;
    const codeFor = async (image: Uint8Array) =>
      (await post(`${engine.url}/api/match`, token, { image1: { bytes: image, type: 'image/jpeg' }, image2: { bytes: image, type: 'image/jpeg' } })).body;
    const face = await faceCrop('A');
    const group = await groupPhoto();
    expect(await codeFor(await sharp(group).resize(1100).jpeg().toBuffer())).toMatchObject({ code: 'IMAGE_DIMENSIONS' });
    expect(await codeFor(await sharp(face).resize(120).jpeg().toBuffer())).toMatchObject({ code: 'IMAGE_DIMENSIONS' });
    expect(await codeFor(await sharp(face).webp().toBuffer())).toMatchObject({ code: 'IMAGE_FORMAT' });
    const noise = { type: 'gaussian', mean: 128, sigma: 90 } as const;
    const noisy = await sharp({ create: { width: 1024, height: 1024, channels: 3, background: '#000', noise } })
      .png({ compressionLevel: 0 })
      .toBuffer();
    expect(await codeFor(noisy)).toMatchObject({ code: 'FILE_TOO_LARGE' });
    // 2 MB is 2,000,000 bytes: a valid JPEG padded to 2,050,000 (under 2 MiB) is refused too.
    const jpeg = await sharp(face).jpeg().toBuffer();
    expect(await codeFor(Buffer.concat([jpeg, Buffer.alloc(2_050_000 - jpeg.byteLength)]))).toMatchObject({ code: 'FILE_TOO_LARGE' });
    expect(await codeFor(Buffer.from('not an image'))).toMatchObject({ code: 'INVALID_IMAGE' });
  });
});

describe('requests the document does not allow', () => {
  it('answers missing, malformed and foreign tokens with 401 in the error shape', async () => {
    const file = { data: { bytes: await livenessCapture(), type: 'image/png' } };
    for (const t of [null, 'garbage', `${token.slice(0, -4)}AAAA`]) {
      const { status, body } = await post(`${engine.url}/api/liveness`, t, file);
      expect(status).toBe(401);
      expect(body).toMatchObject({ statusCode: 401, code: 'UNAUTHORIZED', error: 'Unauthorized' });
    }
    const other = await hostEngine();
    try {
      const foreign = await other.token();
      expect((await post(`${engine.url}/api/liveness`, foreign, file)).status).toBe(401);
    } finally {
      await other.close();
    }
  });

  it('refuses wrong and missing file fields, and non-multipart bodies', async () => {
    const png = await livenessCapture();
    expect((await post(`${engine.url}/api/liveness`, token, { image: { bytes: png, type: 'image/png' } })).body).toMatchObject({
      statusCode: 400,
      code: 'UNEXPECTED_FIELD',
    });
    expect((await post(`${engine.url}/api/match`, token, { image1: { bytes: png, type: 'image/png' } })).body).toMatchObject({ code: 'MISSING_FILE' });
    const json = await fetch(`${engine.url}/api/match`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ code: 'INVALID_CONTENT_TYPE' });
  });

  it('answers an upload over 10 MB with 413 and unknown paths with 404, in the error shape', async () => {
    const big = Buffer.alloc(11 * 1024 * 1024, 7);
    expect(await post(`${engine.url}/api/liveness`, token, { data: { bytes: big, type: 'image/png' } })).toMatchObject({
      status: 413,
      body: { statusCode: 413, code: 'FILE_TOO_LARGE', error: 'Payload Too Large' },
    });
    const missing = await fetch(`${engine.url}/api/nothing`, { method: 'POST' });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
  });

  it('rate-limits repeated failed logins', async () => {
    const limited = await hostEngine({ workers: 1 });
    try {
      const wrong = `Basic ${Buffer.from('admin:nope').toString('base64')}`;
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) {
        statuses.push((await fetch(`${limited.url}/api/authenticate`, { method: 'POST', headers: { authorization: wrong } })).status);
      }
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
      const blocked = await fetch(`${limited.url}/api/authenticate`, { method: 'POST', headers: { authorization: limited.basic } });
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });

  it('counts parallel wrong logins before checking them: 30 at once, 5 checked', async () => {
    const limited = await hostEngine({ workers: 1 });
    try {
      const wrong = `Basic ${Buffer.from('admin:nope').toString('base64')}`;
      const statuses = await Promise.all(
        Array.from({ length: 30 }, async () => (await fetch(`${limited.url}/api/authenticate`, { method: 'POST', headers: { authorization: wrong } })).status),
      );
      expect(statuses.filter((s) => s === 401)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(25);
    } finally {
      await limited.close();
    }
  });
});

describe('the debug flag', () => {
  it('stores uploads and the result only for ?debug=true', async () => {
    const files = { image1: { bytes: await faceCrop('A'), type: 'image/jpeg' }, image2: { bytes: await faceCrop('A', { scale: 0.8 }), type: 'image/jpeg' } };
    for (const flag of ['false', 'TRUE', '1', 'yes', '']) await post(`${engine.url}/api/match?debug=${flag}`, token, files);
    await post(`${engine.url}/api/match`, token, files);
    expect(await readdir(engine.debugDir)).toEqual([]);
    const kept = await post(`${engine.url}/api/match?debug=true`, token, files);
    const [day] = await readdir(engine.debugDir);
    expect(await readdir(join(engine.debugDir, day!, String(kept.body.id)))).toEqual(['image1.jpg', 'image2.jpg', 'result.json']);
  });
});
