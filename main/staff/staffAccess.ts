import { KioskError } from '../../app/errors';
import { STAFF_ACTIVITY_REPORT_MS } from '../../app/settings';
import { hashPassword } from '../../engine/http/users';
import type { AuditTrail } from '../audit/auditTrail';
import type { Logger } from '../log';
import { openPinLockout } from './pinLockout';
import { isPeppered, pepperHash, pinMatches } from './pinPepper';

/** How long a correct staff PIN opens staff-only requests at most, however busy staff are. */
export const STAFF_UNLOCK_MS = 5 * 60_000;

/**
 * Main's idle limit is the staff view's (the station's staffIdleSeconds) plus this: the view
 * reports staff's touches at most every STAFF_ACTIVITY_REPORT_MS, so main's last sight of them
 * may lag their last touch by that much, and the view must be the one that locks first.
 */
const IDLE_SLACK_MS = STAFF_ACTIVITY_REPORT_MS + 5_000;

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
  /** The staff view locks itself after this long without a touch (settings' staffIdleSeconds). */
  idleMs: () => number;
  savePinHash: (hash: string) => Promise<void>;
  /** This station's PIN pepper (pinPepper.ts): from the OS keychain. */
  pepper: () => Promise<Buffer>;
}) {
  const { now, note } = options;
  const lockout = await openPinLockout(options.dataDir, now);
  if (lockout.unreadable) options.logger.log('error', 'staff.pin_lockout_unreadable');

  /** A PIN hash as IT provisioned it gets the station's pepper as soon as the keychain answers. */
  async function pepperProvisionedHash(hash: string): Promise<void> {
    if (isPeppered(hash)) return;
    try {
      await options.savePinHash(pepperHash(hash, await options.pepper()));
    } catch (error) {
      options.logger.log('warn', 'staff.pin_pepper_pending', { reason: error instanceof Error ? error.message : String(error) });
    }
  }
  const provisioned = (() => {
    try {
      return options.pinHash();
    } catch {
      return null; // not set up: nothing to pepper
    }
  })();
  if (provisioned !== null) await pepperProvisionedHash(provisioned);
  let until = 0;
  /** Staff's last request: the window also closes after idleMs (and its slack) without one. */
  let lastSeen = 0;
  /** Who unlocked: signs the reviews decided in this window. */
  let reviewer: string | null = null;

  /** Refused while a lockout runs; every wrong PIN counted and recorded. */
  async function matches(pin: string): Promise<boolean> {
    const hash = options.pinHash();
    // The attempt is reserved before the slow hash and counted after it (the engine's login
    // limiter does the same): parallel guesses cannot all pass the check before one is counted.
    const release = lockout.reserve();
    try {
      if (await pinMatches(pin, hash, options.pepper)) {
        await lockout.succeeded();
        await pepperProvisionedHash(hash);
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
    lastSeen = now();
    until = lastSeen + STAFF_UNLOCK_MS;
    return { until: new Date(until).toISOString() };
  };
  const isOpen = () => now() < until && now() < lastSeen + options.idleMs() + IDLE_SLACK_MS;
  /** Throws `forbidden` unless the window is open; a request that passes counts as staff being there. */
  const requireOpen = (): void => {
    if (!isOpen()) throw new KioskError('forbidden', 'Staff settings are locked; enter the staff PIN first.');
    lastSeen = now();
  };

  return {
    /** The PIN alone: staff names are shown only behind it (a visitor who taps Staff learns no one's name). */
    async unlock(pin: string): Promise<{ until: string }> {
      if (!(await matches(pin))) throw new KioskError('pin_rejected', 'That PIN is not correct.');
      reviewer = null;
      note('staff.unlocked');
      return open();
    },
    /** Staff name themselves from the station's list once unlocked: their name signs the reviews they decide. */
    identify(name: string): { reviewer: string } {
      requireOpen();
      if (!options.staffNames().includes(name)) throw new KioskError('invalid_request', 'Choose your name from the list.');
      reviewer = name;
      note('staff.identified', { name });
      return { reviewer };
    },
    async changePin(current: string, pin: string): Promise<{ until: string }> {
      if (!(await matches(current))) throw new KioskError('pin_rejected', 'The current PIN is not correct.');
      await options.savePinHash(pepperHash(await hashPassword(pin), await options.pepper()));
      note('pin.set');
      return open();
    },
    lock(): { locked: true } {
      until = 0;
      reviewer = null;
      return { locked: true };
    },
    /** Throws `forbidden` unless staff entered the PIN within STAFF_UNLOCK_MS and have not left the view idle. */
    require: requireOpen,
    /**
     * For what a visitor at an unlocked screen must never do (quit to the desktop, debug on, another
     * backend): the open window and the PIN again, through the same lockout.
     */
    async confirm(pin: string): Promise<void> {
      requireOpen();
      if (!(await matches(pin))) throw new KioskError('pin_rejected', 'That PIN is not correct; enter the staff PIN again to do this.');
    },
    /** Who is deciding reviews now: the name staff chose, or "staff" on a station without names; refused until a listed name is chosen. */
    reviewer(): string {
      if (reviewer === null && options.staffNames().length > 0) throw new KioskError('invalid_request', 'Choose your name first: it signs the review.');
      return reviewer ?? 'staff';
    },
    unlockedUntil: (): string | null => (isOpen() ? new Date(until).toISOString() : null),
  };
}
