import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../engine/http/users';
import { silentLogger } from '../log';
import { STAFF_UNLOCK_MS, openStaffAccess } from './staffAccess';

async function staffWith(now: () => number, notes: string[] = []) {
  const pinHash = await hashPassword('246810');
  return openStaffAccess({
    dataDir: await mkdtemp(join(tmpdir(), 'staff-access-')),
    now,
    logger: silentLogger,
    note: (action) => void notes.push(action),
    pinHash: () => pinHash,
    staffNames: () => [],
    idleMs: () => 60_000,
    pepper: async () => Buffer.alloc(32, 7),
    savePinHash: async () => undefined,
  });
}

describe('PIN guesses sent at once', () => {
  it('hashes at most five of sixty parallel wrong PINs, and then refuses the right one too', async () => {
    const notes: string[] = [];
    const staff = await staffWith(() => 5_000_000, notes);
    const results = await Promise.allSettled(Array.from({ length: 60 }, (_, i) => staff.unlock(String(100000 + i))));
    const codes = results.map((r) => (r.status === 'rejected' ? (r.reason as { code: string }).code : 'unlocked'));
    // Every wrong PIN that was hashed is recorded; the others were refused before hashing.
    expect(notes.filter((n) => n === 'pin.rejected')).toHaveLength(5);
    expect(codes.filter((c) => c === 'pin_rejected')).toHaveLength(5);
    expect(codes.filter((c) => c === 'pin_locked')).toHaveLength(55);
    await expect(staff.unlock('246810')).rejects.toMatchObject({ code: 'pin_locked' });
  });
});

describe('the staff unlock window', () => {
  it('opens for STAFF_UNLOCK_MS at most after the right PIN, however busy staff are, on an injected clock', async () => {
    let t = 5_000_000;
    const notes: string[] = [];
    const staff = await staffWith(() => t, notes);
    expect(() => staff.require()).toThrow(expect.objectContaining({ code: 'forbidden' }));
    const { until } = await staff.unlock('246810');
    expect(Date.parse(until)).toBe(t + STAFF_UNLOCK_MS);
    expect(() => staff.require()).not.toThrow();
    // Staff at work: a request every 50 s keeps the window open up to its end, not past it.
    const end = t + STAFF_UNLOCK_MS - 1;
    while (t < end) {
      t = Math.min(end, t + 50_000);
      expect(() => staff.require()).not.toThrow();
    }
    expect(staff.unlockedUntil()).toBe(until);
    t += 1;
    expect(staff.unlockedUntil()).toBeNull();
    expect(() => staff.require()).toThrow(expect.objectContaining({ code: 'forbidden' }));
    expect(notes).toContain('staff.unlocked');
  });
});

describe('staff who walk away', () => {
  it("closes the window after the staff view's idle time (and its 15-s slack) without a request", async () => {
    let t = 5_000_000;
    const staff = await staffWith(() => t);
    await staff.unlock('246810');
    t += 60_000 + 15_000 - 1;
    expect(() => staff.require()).not.toThrow();
    // That request counted as staff being there: the idle time starts again from it.
    t += 60_000 + 15_000 - 1;
    expect(() => staff.require()).not.toThrow();
    t += 60_000 + 15_000;
    expect(() => staff.require()).toThrow(expect.objectContaining({ code: 'forbidden' }));
    expect(staff.unlockedUntil()).toBeNull();
  });

  it('asks for the PIN again before what a visitor must never do, and counts a wrong one towards the lockout', async () => {
    const t = 5_000_000;
    const notes: string[] = [];
    const staff = await staffWith(() => t, notes);
    await expect(staff.confirm('246810')).rejects.toMatchObject({ code: 'forbidden' });
    await staff.unlock('246810');
    await expect(staff.confirm('246810')).resolves.toBeUndefined();
    await expect(staff.confirm('111111')).rejects.toMatchObject({ code: 'pin_rejected' });
    expect(notes.filter((n) => n === 'pin.rejected')).toHaveLength(1);
  });
});
