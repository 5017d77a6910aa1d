import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SigningKeyError, readSigningKey } from './http/signingKey';
import { serviceConfig } from './serviceConfig';

const file = async (name: string, text: string) => {
  const path = join(await mkdtemp(join(tmpdir(), 'engine-config-')), name);
  await writeFile(path, text);
  return path;
};

describe('the signing key replicas share', () => {
  it('is read from base64 of 32 random bytes or more, whitespace around it ignored', async () => {
    const key = Buffer.from(Array.from({ length: 48 }, (_, i) => (i * 73 + 5) % 256));
    expect(Buffer.from(await readSigningKey(await file('key', `  ${key.toString('base64')}\n`)))).toEqual(key);
  });

  it('refuses a missing file, a placeholder, a short key and a key of few distinct bytes, saying how to make one', async () => {
    await expect(readSigningKey('/nonexistent/signing.key')).rejects.toThrow(/cannot be read \(ENOENT\)/);
    await expect(readSigningKey(await file('key', 'changeme'))).rejects.toThrow(/openssl rand -base64 48/);
    await expect(readSigningKey(await file('key', Buffer.alloc(31, 7).toString('base64')))).rejects.toBeInstanceOf(SigningKeyError);
    await expect(readSigningKey(await file('key', Buffer.alloc(64, 1).toString('base64')))).rejects.toThrow(/repeats a few bytes/);
  });
});

describe("the engine service's settings", () => {
  it('come from the command line over the config file over the defaults', async () => {
    const config = await file('engine.json', JSON.stringify({ port: 9000, workers: 3, signingKeyFile: '/run/key', tokenTtlSeconds: 600 }));
    expect(await serviceConfig({ config, workers: '2' })).toMatchObject({
      host: '127.0.0.1',
      port: 9000,
      workers: 2,
      signingKeyFile: '/run/key',
      tokenTtlSeconds: 600,
    });
    expect(await serviceConfig({})).toMatchObject({ port: 8787, workers: undefined, tokenTtlSeconds: 3600, signingKeyFile: undefined });
  });

  it('refuses a config file that is not JSON, has an unknown key or a bad value, and a bad number on the command line', async () => {
    await expect(serviceConfig({ config: await file('engine.json', '{port: 1') })).rejects.toThrow(/is not JSON/);
    await expect(serviceConfig({ config: await file('engine.json', '{"password": "x"}') })).rejects.toThrow(/Unrecognized key/i);
    await expect(serviceConfig({ config: await file('engine.json', '{"port": "eighty"}') })).rejects.toThrow(/port/);
    await expect(serviceConfig({ workers: '0' })).rejects.toThrow('--workers: a whole number from 1 to 64 (got "0")');
    await expect(serviceConfig({ 'liveness-pass': '2' })).rejects.toThrow(/^--liveness-pass: /);
  });
});
