import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, fileSink } from './log';

describe('createLogger', () => {
  it('drops secret-looking fields whatever their value and filters by level', () => {
    const lines: string[] = [];
    const logger = createLogger((l) => lines.push(l), { minLevel: 'info', now: () => new Date(0) });
    logger.log('debug', 'hidden');
    logger.log('info', 'auth', { host: 'h', password: 'p1', accessToken: 't1', Authorization: 'a1', imageBytes: 3 });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({ time: '1970-01-01T00:00:00.000Z', level: 'info', event: 'auth', host: 'h' });
  });
});

describe('fileSink', () => {
  it('rotates past its size, keeping a bounded number of old files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-log-'));
    const sink = fileSink(join(dir, 'main.log'), { maxBytes: 100, keep: 2 });
    for (let i = 0; i < 20; i++) sink(`line ${String(i).padStart(2, '0')} ${'x'.repeat(30)}`);
    expect(readdirSync(dir).sort()).toEqual(['main.log', 'main.log.1', 'main.log.2']);
    for (const file of readdirSync(dir)) expect(readFileSync(join(dir, file)).length).toBeLessThanOrEqual(100);
    expect(readFileSync(join(dir, 'main.log'), 'utf8')).toContain('line 19');
    expect(readFileSync(join(dir, 'main.log.2'), 'utf8')).not.toContain('line 00');
  });
});
