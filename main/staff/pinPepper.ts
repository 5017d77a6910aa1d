/**
 * The staff PIN's pepper: a secret of this station's, kept in the OS keychain, mixed into the
 * PIN's hash so a copied settings.json alone cannot be searched for the PIN (a 6-digit PIN under
 * scrypt N=16384 falls to ~16 core-hours of guessing; without the pepper, to none).
 *
 * IT provisions a plain scrypt hash (`scrypt$N$r$p$salt$key`, made where the station's pepper is
 * unknown); the station turns it into `pepper1$N$r$p$salt$HMAC-SHA256(pepper, key)` the first
 * time it can reach its keychain. A PIN is right when HMAC(pepper, scrypt(PIN)) matches.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { derivedKey, verifyPassword } from '../../engine/http/users';
import type { CredentialStore } from '../credentials/keychain';
import { stationSecret } from '../credentials/stationSecret';

const PEPPERED = 'pepper1';

/** The station's pepper from the keychain (stationSecret.ts). */
export const stationPepper = (store: CredentialStore, dataDir: string) => stationSecret(store, dataDir, 'staff-pin-pepper');

export const isPeppered = (hash: string) => hash.startsWith(`${PEPPERED}$`);

const mac = (pepper: Buffer, key: Buffer) => createHmac('sha256', pepper).update(key).digest();

/** A plain scrypt hash as this station keeps it: the key replaced by its HMAC under the pepper. */
export function pepperHash(scryptHash: string, pepper: Buffer): string {
  const [scheme, n, r, p, salt, key] = scryptHash.split('$');
  if (scheme !== 'scrypt' || !salt || !key) throw new Error('not a scrypt hash');
  return [PEPPERED, n, r, p, salt, mac(pepper, Buffer.from(key, 'base64')).toString('base64')].join('$');
}

/** Whether `pin` is the one behind `hash`, plain (as provisioned) or peppered (as kept). */
export async function pinMatches(pin: string, hash: string, pepper: () => Promise<Buffer>): Promise<boolean> {
  if (!isPeppered(hash)) return verifyPassword(pin, hash);
  const expected = Buffer.from(hash.split('$')[5] ?? '', 'base64');
  const actual = mac(await pepper(), await derivedKey(pin, hash));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
