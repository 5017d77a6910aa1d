import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../engine/http/users';
import { silentLogger } from '../log';
import { STAFF_UNLOCK_MS, openStaffAccess } from './staffAccess';

describe('the staff unlock window', () => {
  it('opens for STAFF_UNLOCK_MS after the right PIN and closes by itself, on an injected clock', async () => {
    let t = 5_000_000;
    const notes: string[] = [];
    const pinHash = await hashPassword('246810');
    const staff = await openStaffAccess({
      dataDir: await mkdtemp(join(tmpdir(), 'staff-access-')),
      now: () => t,
      logger: silentLogger,
      note: (action) => void notes.push(action),
      pinHash: () => pinHash,
      staffNames: () => [],
      savePinHash: async () => undefined,
    });
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
