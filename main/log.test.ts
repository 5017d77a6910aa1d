import { describe, expect, it } from 'vitest';
import { createLogger } from './log';

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
