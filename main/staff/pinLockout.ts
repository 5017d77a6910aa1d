/**
 * Slows staff-PIN guessing: after `MAX_FAILURES` wrong PINs in a row the PIN is refused, right or
 * wrong, for a minute, then for twice as long after each further run of failures, up to an hour.
 * The count lives in a file beside the settings, so quitting or restarting the kiosk resets
 * nothing; a file that cannot be read counts as a lockout (fail closed). A right PIN clears it.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { KioskError } from '../../app/errors';
import { readJsonFile, writeFileAtomic } from '../storage/stateFile';

export const PIN_LOCKOUT = { maxFailures: 5, firstLockMs: 60_000, maxLockMs: 60 * 60_000 } as const;
const FILE = 'staff-pin-lockout.json';

const StateSchema = z.object({ failures: z.number().int().min(0), lockouts: z.number().int().min(0), lockedUntil: z.number() });
type State = z.infer<typeof StateSchema>;
const CLEAR: State = { failures: 0, lockouts: 0, lockedUntil: 0 };

/** The state a start finds: the file's, none when it is missing, and locked when it cannot be read (fail closed). */
async function startState(dataDir: string, now: () => number): Promise<{ state: State; unreadable: boolean }> {
  const read = await readJsonFile(join(dataDir, FILE), StateSchema);
  if (read.status === 'invalid') return { state: { failures: 0, lockouts: 1, lockedUntil: now() + PIN_LOCKOUT.firstLockMs }, unreadable: true };
  return { state: read.status === 'ok' ? read.value : CLEAR, unreadable: false };
}

/** The lockout as a start would find it, read only (`npm run cli -- status`): when it ends, or null. */
export async function peekPinLockout(dataDir: string, now: () => number): Promise<{ lockedUntil: number | null; unreadable: boolean }> {
  const { state, unreadable } = await startState(dataDir, now);
  return { lockedUntil: state.lockedUntil > now() ? state.lockedUntil : null, unreadable };
}

export async function openPinLockout(dataDir: string, now: () => number) {
  const start = await startState(dataDir, now);
  const { unreadable } = start;
  let state: State = start.state;
  const save = (next: State) => {
    state = next;
    return writeFileAtomic(dataDir, FILE, JSON.stringify(next));
  };
  if (unreadable) await save(state);
  /** PIN checks under way: each holds one of the attempts left before a lockout. */
  let inFlight = 0;

  return {
    /** The state file could not be read at start: the kiosk began locked. */
    unreadable,
    /** Throws `pin_locked` while a lockout runs. */
    check(): void {
      const left = state.lockedUntil - now();
      if (left > 0) {
        throw new KioskError('pin_locked', `Too many wrong PINs: the staff PIN is locked for ${Math.ceil(left / 60_000)} more minute(s).`);
      }
    },
    /**
     * Reserves one attempt before the slow hash, or throws `pin_locked`: while a lockout runs, and
     * while the attempts left before one are all being checked (sixty PINs sent at once would
     * otherwise all be hashed before the first failure counted). Call the result when done.
     */
    reserve(): () => void {
      this.check();
      if (state.failures + inFlight >= PIN_LOCKOUT.maxFailures) {
        throw new KioskError('pin_locked', 'Too many PIN attempts at once: wait for the ones being checked.');
      }
      inFlight += 1;
      let released = false;
      return () => {
        if (!released) inFlight -= 1;
        released = true;
      };
    },
    /** Counts a wrong PIN; returns the lockout's end when this failure started one. */
    async failed(): Promise<{ lockedUntil: number } | null> {
      const failures = state.failures + 1;
      if (failures < PIN_LOCKOUT.maxFailures) {
        await save({ ...state, failures });
        return null;
      }
      const lockouts = state.lockouts + 1;
      const lockedUntil = now() + Math.min(PIN_LOCKOUT.firstLockMs * 2 ** (lockouts - 1), PIN_LOCKOUT.maxLockMs);
      await save({ failures: 0, lockouts, lockedUntil });
      return { lockedUntil };
    },
    async succeeded(): Promise<void> {
      if (state.failures > 0 || state.lockouts > 0) await save(CLEAR);
    },
  };
}
