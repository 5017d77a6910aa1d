import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PIN_LOCKOUT, openPinLockout } from './pinLockout';

/** An injected clock: the tests move time, never wait for it. */
const clock = (start = 1_000_000) => {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
};
const codeOf = (f: () => void) => {
  try {
    f();
    return 'passed';
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

describe('the staff PIN lockout', () => {
  it('locks for 1 min, then doubles with each further run of wrong PINs, capped at 1 hour', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pin-lockout-'));
    const time = clock();
    const lockout = await openPinLockout(dir, time.now);
    const lengths: number[] = [];
    for (let run = 0; run < 9; run++) {
      let started: { lockedUntil: number } | null = null;
      for (let i = 0; i < PIN_LOCKOUT.maxFailures; i++) started = await lockout.failed();
      lengths.push((started!.lockedUntil - time.now()) / 60_000);
      expect(codeOf(() => lockout.check())).toBe('pin_locked');
      time.advance(started!.lockedUntil - time.now() - 1);
      expect(codeOf(() => lockout.check())).toBe('pin_locked');
      time.advance(1);
      expect(codeOf(() => lockout.check())).toBe('passed');
    }
    expect(lengths).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60]);
  });

  it('keeps its count across a restart, and a right PIN clears it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pin-lockout-'));
    const time = clock();
    const first = await openPinLockout(dir, time.now);
    for (let i = 0; i < PIN_LOCKOUT.maxFailures; i++) await first.failed();
    const reopened = await openPinLockout(dir, time.now);
    expect(codeOf(() => reopened.check())).toBe('pin_locked');
    time.advance(PIN_LOCKOUT.firstLockMs);
    await reopened.succeeded();
    for (let i = 0; i < PIN_LOCKOUT.maxFailures - 1; i++) expect(await reopened.failed()).toBeNull();
  });

  it('starts locked when its file cannot be read (fail closed)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pin-lockout-'));
    await writeFile(join(dir, 'staff-pin-lockout.json'), '{not json');
    const time = clock();
    const lockout = await openPinLockout(dir, time.now);
    expect(lockout.unreadable).toBe(true);
    expect(codeOf(() => lockout.check())).toBe('pin_locked');
    time.advance(PIN_LOCKOUT.firstLockMs);
    expect(codeOf(() => lockout.check())).toBe('passed');
  });
});
