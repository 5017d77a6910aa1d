/**
 * The privacy promise every reviewer asks about: the visitor's images are zeroed in main after a
 * reset, a replaced photo and a cancelled run. The session is main's own, its client the real
 * one against the test server on 127.0.0.1; the test keeps a reference to every image buffer the
 * client is handed, and reads those buffers afterwards: deleting the zeroing fails this test.
 */
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BiointellicClient } from '../../main/biointellic/client';
import { silentLogger } from '../../main/log';
import { createVerificationSession } from '../../main/verification/session';
import { startTestServer, type TestServer } from '../support/biointellicTestServer';
import { clientFor } from '../support/clientFor';
import { makeJpeg } from '../support/images';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.close());

/** Main's session with the real client, every image buffer it passes on kept in `seen`. */
function sessionSeeing(seen: Uint8Array[]) {
  const { client } = clientFor(server);
  const watching: BiointellicClient = {
    ...client,
    liveness: (png, opts) => {
      seen.push(png);
      return client.liveness(png, opts);
    },
    match: (image1, image2, opts) => {
      seen.push(image1.bytes, image2.bytes);
      return client.match(image1, image2, opts);
    },
  };
  return createVerificationSession({
    client: async () => watching,
    debug: () => false,
    judging: () => ({
      reviewMarginPercent: 5,
      sayNotVerified: false,
      blinkCheck: 'off' as const,
      documentRules: { requireMrz: false, acceptedKinds: ['passport' as const] },
      backend: { kind: 'remote' as const },
      checksAtOnce: false,
    }),
    documents: { read: () => Promise.reject(new Error('no document in this test')), find: async () => null },
    onProgress: () => undefined,
    logger: silentLogger,
    limits: { check: () => undefined, failed: async () => undefined },
    audit: () => null,
  });
}
const zeroed = (bytes: Uint8Array) => bytes.every((b) => b === 0);

describe('images zeroed in main', () => {
  it('zeroes every image the check used on reset, and the photos it was given as soon as they are normalised', async () => {
    const seen: Uint8Array[] = [];
    const session = sessionSeeing(seen);
    const id = await makeJpeg(600, 800);
    const live = await makeJpeg(1280, 720);
    await session.setIdPhoto(id);
    await session.setLivePhoto({ image: live });
    // What crossed IPC is main's own copy: zeroed once normalised.
    expect(zeroed(id) && zeroed(live)).toBe(true);
    await session.run(1);
    expect(seen).toHaveLength(3);
    expect(seen.some(zeroed)).toBe(false);
    await expect(session.reset()).resolves.toEqual({ images: 3 });
    expect(seen.every(zeroed)).toBe(true);
  });

  it('zeroes a live frame sent as raw pixels as soon as it is normalised, and the images made from it on reset', async () => {
    const seen: Uint8Array[] = [];
    const session = sessionSeeing(seen);
    await session.setIdPhoto(await makeJpeg(600, 800));
    const { data, info } = await sharp(await makeJpeg(1280, 720))
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const rgba = new Uint8Array(data);
    expect(zeroed(rgba)).toBe(false);
    await session.setLivePhoto({ image: { rgba, width: info.width, height: info.height } });
    expect(zeroed(rgba)).toBe(true);
    await session.run(1);
    expect(seen).toHaveLength(3);
    await session.reset();
    expect(seen.every(zeroed)).toBe(true);
  });

  it('zeroes a live photo replaced by a retake, and the images of a run cancelled mid-flight', async () => {
    const seen: Uint8Array[] = [];
    const session = sessionSeeing(seen);
    await session.setIdPhoto(await makeJpeg(600, 800));
    await session.setLivePhoto({ image: await makeJpeg(1280, 720) });
    server.fault('match', { kind: 'hang' });
    const running = session.run(1);
    await expect.poll(() => server.count('match')).toBe(1);
    const first = [...seen];
    await session.setLivePhoto({ image: await makeJpeg(1280, 720) });
    // The retake replaced the live photo: its copies are zeroed at once.
    expect(zeroed(first[0]!) && zeroed(first[2]!)).toBe(true);
    await session.reset();
    await expect(running).rejects.toMatchObject({ code: 'cancelled' });
    expect(seen.every(zeroed)).toBe(true);
  });
});

describe("the client's own copies", () => {
  it('zeroes the request body holding the images once each exchange is over, a retried one and a refused one too', async () => {
    const bodies: Uint8Array[] = [];
    const { client } = clientFor(server, {
      fetch: (input, init) => {
        if (init?.body instanceof Uint8Array) bodies.push(init.body);
        return fetch(input, init);
      },
    });
    const jpeg = await makeJpeg(300, 300);
    const png = new Uint8Array(await sharp(jpeg).png().toBuffer());
    server.fault('liveness', { kind: 'status', status: 500 });
    await client.liveness(png);
    await client.match({ bytes: jpeg, contentType: 'image/jpeg' }, { bytes: jpeg, contentType: 'image/jpeg' });
    server.fault('match', { kind: 'reject', code: 'FACE_TOO_SMALL', message: 'small' });
    await expect(client.match({ bytes: jpeg, contentType: 'image/jpeg' }, { bytes: jpeg, contentType: 'image/jpeg' })).rejects.toMatchObject({
      code: 'face_rejected',
    });
    // The 500 and its retry, the match, the refused match: four bodies, each held the images.
    expect(bodies.map((b) => b.byteLength > jpeg.byteLength)).toEqual([true, true, true, true]);
    expect(bodies.every(zeroed)).toBe(true);
    // What the service received conformed to the API document all the same.
    expect(server.received.flatMap((r) => r.violations)).toEqual([]);
  });
});
