import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../app/settings';
import { SETTINGS_FILE, readSettings, writeSettings } from './settingsFile';

const tempDir = () => mkdtemp(join(tmpdir(), 'kiosk-settings-'));

describe('settings file', () => {
  it('returns defaults when there is no file yet', async () => {
    await expect(readSettings(await tempDir())).resolves.toEqual({ status: 'missing', settings: DEFAULT_SETTINGS });
  });

  it('round-trips through an atomic write and leaves no temp file behind', async () => {
    const dir = await tempDir();
    const settings = { ...DEFAULT_SETTINGS, backend: { kind: 'remote' as const, url: 'https://bio.example', userId: 'desk1' }, debug: true };
    await writeSettings(dir, settings);
    await expect(readSettings(dir)).resolves.toEqual({ status: 'ok', settings });
    expect(await readdir(dir)).toEqual([SETTINGS_FILE]);
  });

  it('refuses to write invalid settings', async () => {
    const dir = await tempDir();
    await expect(writeSettings(dir, { ...DEFAULT_SETTINGS, requestTimeoutMs: -1 })).rejects.toThrow();
    expect(await readdir(dir)).toEqual([]);
  });

  for (const [name, content] of [
    ['broken JSON', '{"backend": '],
    ['a schema violation', '{"backend": {"kind": "remote", "url": "nope"}}'],
  ] as const) {
    it(`keeps a file with ${name} aside and reports it`, async () => {
      const dir = await tempDir();
      await writeFile(join(dir, SETTINGS_FILE), content);
      const read = await readSettings(dir, () => new Date('2026-01-02T03:04:05.678Z'));
      expect(read).toMatchObject({ status: 'corrupt', settings: DEFAULT_SETTINGS });
      if (read.status !== 'corrupt') throw new Error('unreachable');
      expect(read.keptAs).toBe(join(dir, `${SETTINGS_FILE}.corrupt-2026-01-02T03-04-05-678Z`));
      expect(read.reason.length).toBeGreaterThan(0);
      await expect(readFile(read.keptAs, 'utf8')).resolves.toBe(content);
    });
  }
});
