import { describe, expect, it } from 'vitest';
import { createLoginLimiter } from './loginLimiter';

describe('login limiter', () => {
  it('takes an attempt before the check and refuses the sixth within the window', () => {
    let t = 0;
    const limiter = createLoginLimiter({ maxFailures: 5, windowMs: 60_000, now: () => t });
    // Five reserved at once, none yet known to fail: the sixth is already refused.
    for (let i = 0; i < 5; i++) expect(limiter.reserve(['address a']).wait).toBe(0);
    expect(limiter.reserve(['address a']).wait).toBe(60);
    t = 45_000;
    expect(limiter.reserve(['address a']).wait).toBe(15);
    t = 60_000;
    expect(limiter.reserve(['address a']).wait).toBe(0);
  });

  it('gives the attempt back when the password was right', () => {
    const limiter = createLoginLimiter({ maxFailures: 2, now: () => 0 });
    for (let i = 0; i < 10; i++) limiter.reserve(['address a']).succeeded();
    expect(limiter.reserve(['address a']).wait).toBe(0);
  });

  it('limits a user guessed at from many addresses, and an address guessing many users', () => {
    const limiter = createLoginLimiter({ maxFailures: 3, now: () => 0 });
    for (const address of ['a', 'b', 'c']) limiter.reserve([`address ${address}`, 'user admin']);
    expect(limiter.reserve(['address d', 'user admin']).wait).toBeGreaterThan(0);
    expect(limiter.reserve(['address d', 'user other']).wait).toBe(0);
    for (const user of ['x', 'y']) limiter.reserve(['address e', `user ${user}`]);
    limiter.reserve(['address e', 'user z']);
    expect(limiter.reserve(['address e', 'user w']).wait).toBeGreaterThan(0);
  });
});
