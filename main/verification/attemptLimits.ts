/**
 * Limits that walking away does not reset. The renderer's three attempts per visit end with
 * "Finish"; these count across visits, in main:
 * - one ID document (by its MRZ's number where it was read, else by the hash of its photo's
 *   normalised bytes) gets `perIdPhoto` unsuccessful checks within the window, whichever visit
 *   and whichever capture of it they come from;
 * - after `stationFailures` unsuccessful checks within the window the station stops checking
 *   anyone until staff unlock it with the PIN. That lock is kept in a file, so a restart does not
 *   lift it either.
 * Unsuccessful means a verdict of not verified (liveness or match refused); a fault (network,
 * timeout) or a capture the service sent back for a retake is not counted.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { DocumentReading } from '../../app/contract';
import { join } from 'node:path';
import { KioskError } from '../../app/errors';
import { z } from 'zod';
import { readJsonFile, writeFileAtomic } from '../storage/stateFile';

export const ATTEMPT_LIMITS = { perIdPhoto: 3, stationFailures: 5, windowMs: 10 * 60_000 } as const;
const FILE = 'station-lock.json';

/** The key an ID photo is counted under: a hash, never the picture. */
export const idPhotoKey = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Salts the document keys of this run of the kiosk: they live in memory only, and name nobody outside it. */
const DOCUMENT_KEY_SALT = randomBytes(16);

/**
 * The key a document is counted under when its MRZ was read and its check digits held: its kind,
 * issuing state and number, hashed. A fresh capture of the same card has new bytes but this same
 * key, so it cannot start a new count; a card whose MRZ is not read is counted by its photo's
 * bytes (idPhotoKey), and the station-wide limit still applies to it.
 */
export function documentKey(document: Pick<DocumentReading, 'kind' | 'mrz' | 'fields'> | null): string | null {
  const { documentNumber, issuingState } = document?.fields ?? {};
  if (document?.mrz !== 'verified' || !documentNumber) return null;
  return createHash('sha256')
    .update(DOCUMENT_KEY_SALT)
    .update(`${document.kind}\n${issuingState ?? ''}\n${documentNumber}`)
    .digest('hex');
}

/**
 * Whether a start finds the station locked by repeated unsuccessful checks (also read alone by
 * `npm run cli -- status`). Missing: never locked. Unreadable: locked (fail closed).
 */
export async function peekStationLocked(dataDir: string): Promise<boolean> {
  const read = await readJsonFile(join(dataDir, FILE), z.object({ locked: z.boolean() }));
  return read.status === 'ok' ? read.value.locked : read.status === 'invalid';
}

export async function openAttemptLimits(dataDir: string, now: () => number) {
  let locked = await peekStationLocked(dataDir);
  let failures: Array<{ at: number; idKey: string }> = [];
  const recent = () => (failures = failures.filter((f) => now() - f.at < ATTEMPT_LIMITS.windowMs));
  const persist = () => writeFileAtomic(dataDir, FILE, JSON.stringify({ locked }));

  return {
    /** Throws `station_locked` or `attempts_exhausted` when this check may not run. */
    check(idKey: string): void {
      if (locked)
        throw new KioskError('station_locked', 'This station stopped checking after repeated unsuccessful checks; staff must unlock it with the PIN.');
      if (recent().filter((f) => f.idKey === idKey).length >= ATTEMPT_LIMITS.perIdPhoto) {
        throw new KioskError(
          'attempts_exhausted',
          `This ID photo had ${ATTEMPT_LIMITS.perIdPhoto} unsuccessful checks in the last ${ATTEMPT_LIMITS.windowMs / 60_000} minutes.`,
        );
      }
    },
    /** Counts an unsuccessful check; returns true when it locked the station. */
    async failed(idKey: string): Promise<boolean> {
      recent().push({ at: now(), idKey });
      if (locked || failures.length < ATTEMPT_LIMITS.stationFailures) return false;
      locked = true;
      await persist();
      return true;
    },
    /** Staff unlocked: the station checks again, with a fresh count. */
    async clear(): Promise<boolean> {
      const was = locked;
      failures = [];
      if (locked) {
        locked = false;
        await persist();
      }
      return was;
    },
  };
}
