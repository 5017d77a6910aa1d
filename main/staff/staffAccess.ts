import { KioskError } from '../../app/errors';
import { hashPassword, verifyPassword } from '../../engine/http/users';
import type { AuditTrail } from '../audit/auditTrail';
import type { Logger } from '../log';
import { openPinLockout } from './pinLockout';

/** How long a correct staff PIN opens staff-only requests. */
export const STAFF_UNLOCK_MS = 5 * 60_000;

/**
 * The staff PIN and the window it opens. Enforced here in main, not only on screen: a renderer
 * cannot skip it. Every PIN check goes through the lockout (pinLockout.ts).
 */
export async function openStaffAccess(options: {
  dataDir: string;
  now: () => number;
  logger: Logger;
  note: AuditTrail['note'];
  pinHash: () => string;
  /** The names staff choose from at unlock; empty: nobody is named. */
  staffNames: () => readonly string[];
  savePinHash: (hash: string) => Promise<void>;
}) {
  const { now, note } = options;
  const lockout = await openPinLockout(options.dataDir, now);
  if (lockout.unreadable) options.logger.log('error', 'staff.pin_lockout_unreadable');
  let until = 0;
  /** Who unlocked: signs the reviews decided in this window. */
  let reviewer: string | null = null;

  /** Refused while a lockout runs; every wrong PIN counted and recorded. */
  async function matches(pin: string): Promise<boolean> {
    const hash = options.pinHash();
    // The attempt is reserved before the slow hash and counted after it (the engine's login
    // limiter does the same): parallel guesses cannot all pass the check before one is counted.
    const release = lockout.reserve();
    try {
      if (await verifyPassword(pin, hash)) {
        await lockout.succeeded();
        return true;
      }
      const locked = await lockout.failed();
      note('pin.rejected', {}, 'warn');
      if (locked) note('pin.locked', { until: new Date(locked.lockedUntil).toISOString() }, 'warn');
      return false;
    } finally {
      release();
    }
  }
  const open = () => {
    until = now() + STAFF_UNLOCK_MS;
    return { until: new Date(until).toISOString() };
  };
  const isOpen = () => now() < until;

  return {
    async unlock(pin: string, name?: string): Promise<{ until: string }> {
      const names = options.staffNames();
      // Checked before the PIN, so a wrong name never costs a lockout attempt.
      if (names.length > 0 && (name === undefined || !names.includes(name))) {
        throw new KioskError('invalid_request', 'Choose your name from the list, then enter the PIN.');
      }
      if (!(await matches(pin))) throw new KioskError('pin_rejected', 'That PIN is not correct.');
      reviewer = names.length > 0 ? name! : null;
      note('staff.unlocked', reviewer ? { name: reviewer } : {});
      return open();
    },
    async changePin(current: string, pin: string): Promise<{ until: string }> {
      if (!(await matches(current))) throw new KioskError('pin_rejected', 'The current PIN is not correct.');
      await options.savePinHash(await hashPassword(pin));
      note('pin.set');
      return open();
    },
    lock(): { locked: true } {
      until = 0;
      reviewer = null;
      return { locked: true };
    },
    /** Throws `forbidden` unless staff entered the PIN within STAFF_UNLOCK_MS. */
    require(): void {
      if (!isOpen()) throw new KioskError('forbidden', 'Staff settings are locked; enter the staff PIN first.');
    },
    /** Who is deciding reviews now: the name chosen at unlock, or "staff" on a station without names. */
    reviewer: (): string => reviewer ?? 'staff',
    unlockedUntil: (): string | null => (isOpen() ? new Date(until).toISOString() : null),
  };
}
