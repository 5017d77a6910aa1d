import { SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { KioskError } from '../../app/errors';
import { createTokenManager, holdToken } from './tokenManager';

const key = new TextEncoder().encode('unit-test-key');

/** A JWT as the service issues it: iat/exp by the *service's* clock, which may differ from ours. */
function jwt(iatSeconds: number, lifetimeSeconds: number) {
  return new SignJWT({ sub: 'admin' })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt(iatSeconds)
    .setExpirationTime(iatSeconds + lifetimeSeconds)
    .sign(key);
}

describe('holdToken', () => {
  it('refreshes 20 % ahead of a long lifetime, anchored to our clock not the service clock', async () => {
    const serviceIat = 1_000_000; // the service clock is days behind ours
    const held = holdToken(await jwt(serviceIat, 3600), 5_000_000_000);
    expect(held.expiresAt).toBe(5_000_000_000 + 3_599_000);
    expect(held.refreshAt).toBe(5_000_000_000 + 3_599_000 - 719_800);
  });

  it('keeps at least 60 s of margin on a ten-minute token', async () => {
    const held = holdToken(await jwt(0, 600), 0);
    expect(held.refreshAt).toBe(599_000 - 119_800);
    const fiveMinutes = holdToken(await jwt(0, 300), 0);
    expect(fiveMinutes.refreshAt).toBe(299_000 - 60_000);
  });

  it('caps the margin at half the lifetime for very short tokens', async () => {
    expect(holdToken(await jwt(0, 4), 0).refreshAt).toBe(1_500);
  });

  it('counts a whole second short, since the service stamps iat in whole seconds', async () => {
    // Issued at 0.99 s but stamped iat=0: the service refuses it from 2.0 s, not 2.99 s.
    const held = holdToken(await jwt(0, 2), 990);
    expect(held.expiresAt).toBe(1_990);
    expect(held.refreshAt).toBe(1_490);
  });

  it('treats a token without exp as valid until the service says 401', () => {
    const token = new UnsecuredJWT({ sub: 'a' }).encode();
    expect(holdToken(token, 0)).toMatchObject({ refreshAt: null, expiresAt: null });
  });

  it('refuses something that is not a JWT', () => {
    expect(() => holdToken('not-a-jwt', 0)).toThrowError(KioskError);
  });
});

describe('createTokenManager', () => {
  function setup(lifetimeSeconds = 600) {
    const clock = { now: 0 };
    let calls = 0;
    const manager = createTokenManager({
      now: () => clock.now,
      authenticate: async () => {
        calls += 1;
        await new Promise((r) => setTimeout(r, 5));
        return jwt(Math.floor(clock.now / 1000), lifetimeSeconds);
      },
    });
    return { clock, manager, calls: () => calls };
  }

  it('reuses the token until the refresh point, then authenticates again ahead of expiry', async () => {
    const { clock, manager, calls } = setup(600);
    const first = await manager.get();
    clock.now = 479_199;
    expect((await manager.get()).value).toBe(first.value);
    expect(calls()).toBe(1);
    clock.now = 479_200; // 119.8 s before the 599 s it is sure to live
    await manager.get();
    expect(calls()).toBe(2);
  });

  it('shares one authentication among 20 concurrent callers', async () => {
    const { manager, calls } = setup();
    const tokens = await Promise.all(Array.from({ length: 20 }, () => manager.get()));
    expect(calls()).toBe(1);
    expect(new Set(tokens.map((t) => t.value)).size).toBe(1);
  });

  it('authenticates again after invalidate(), but ignores a stale invalidate', async () => {
    const { manager, calls } = setup();
    const first = await manager.get();
    manager.invalidate('some-older-token');
    await manager.get();
    expect(calls()).toBe(1);
    manager.invalidate(first.value);
    await manager.get();
    expect(calls()).toBe(2);
  });

  it('lets a failed authentication reach every waiting caller and retries on the next get()', async () => {
    let fail = true;
    const manager = createTokenManager({
      authenticate: async () => {
        if (fail) throw new KioskError('credentials_rejected', 'no');
        return jwt(Math.floor(Date.now() / 1000), 600);
      },
    });
    const results = await Promise.allSettled([manager.get(), manager.get()]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(manager.get()).resolves.toHaveProperty('value');
  });
});
