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
  it('opens for STAFF_UNLOCK_MS after the right PIN and closes by itself, on an injected clock', async () => {
    let t = 5_000_000;
    const notes: string[] = [];
    const staff = await staffWith(() => t, notes);
    expect(() => staff.require()).toThrow(expect.objectContaining({ code: 'forbidden' }));
    const { until } = await staff.unlock('246810');
    expect(Date.parse(until)).toBe(t + STAFF_UNLOCK_MS);
    expect(() => staff.require()).not.toThrow();
    t += STAFF_UNLOCK_MS - 1;
    expect(staff.unlockedUntil()).toBe(until);
    expect(() => staff.require()).not.toThrow();
    t += 1;
    expect(staff.unlockedUntil()).toBeNull();
    expect(() => staff.require()).toThrow(expect.objectContaining({ code: 'forbidden' }));
    expect(notes).toContain('staff.unlocked');
  });
});
