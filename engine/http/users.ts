/**
 * Engine accounts: scrypt-hashed passwords, checked in constant time. A users file holds
 * `{"users": [{"userId": "...", "passwordHash": "scrypt$N$r$p$salt$hash"}]}`.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCallback(password, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))));

const PARAMS = { N: 16384, r: 8, p: 1 };
const KEY_LENGTH = 32;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LENGTH, PARAMS);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const [scheme, , , , salt, hash] = encoded.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await derivedKey(password, encoded, expected.length);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** The key `password` derives under an encoded hash's scrypt settings and salt (`scheme$N$r$p$salt$…`). */
export function derivedKey(password: string, encoded: string, length = KEY_LENGTH): Promise<Buffer> {
  const [, n, r, p, salt] = encoded.split('$');
  return scrypt(password, Buffer.from(salt ?? '', 'base64'), length, { N: Number(n), r: Number(r), p: Number(p) });
}

const UsersFileSchema = z.object({
  users: z.array(
    z.object({
      userId: z
        .string()
        .min(1)
        .refine((v) => !v.includes(':')),
      passwordHash: z.string().startsWith('scrypt$'),
    }),
  ),
});

export interface UserDirectory {
  /** True when the user exists and the password is theirs. Takes the same time for unknown users. */
  check(userId: string, password: string): Promise<boolean>;
}

export function createUserDirectory(users: ReadonlyMap<string, string>): UserDirectory {
  // Unknown users are checked against a dummy hash so timing does not reveal which ids exist.
  const dummy = hashPassword(randomBytes(12).toString('hex'));
  return {
    async check(userId, password) {
      const hash = users.get(userId);
      const ok = await verifyPassword(password, hash ?? (await dummy));
      return hash !== undefined && ok;
    },
  };
}

export async function loadUsersFile(path: string): Promise<Map<string, string>> {
  const parsed = UsersFileSchema.parse(JSON.parse(await readFile(path, 'utf8')));
  return new Map(parsed.users.map((u) => [u.userId, u.passwordHash]));
}
