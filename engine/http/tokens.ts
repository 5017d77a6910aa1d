import { SignJWT, jwtVerify } from 'jose';
import { randomBytes } from 'node:crypto';
import { ApiError } from './errors';

/** HS256 tokens signed with a per-engine secret: a restart (or a foreign engine) invalidates them. */
export function createTokenIssuer(options: { ttlSeconds: number; secret?: Uint8Array; now?: () => number }) {
  const secret = options.secret ?? randomBytes(32);
  const now = options.now ?? Date.now;
  return {
    issue(userId: string): Promise<string> {
      const iat = Math.floor(now() / 1000);
      return new SignJWT({ role: 'USER' })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(userId)
        .setIssuedAt(iat)
        .setExpirationTime(iat + options.ttlSeconds)
        .sign(secret);
    },
    /** The user id of a valid bearer header; anything else is a 401 in the document's shape. */
    async verify(header: string | undefined): Promise<string> {
      const match = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/.exec(header ?? '');
      if (!match) throw new ApiError(401, 'UNAUTHORIZED', 'A Bearer token is required');
      try {
        // Only HS256: a token with alg "none" or another algorithm never verifies.
        const { payload } = await jwtVerify(match[1]!, secret, { algorithms: ['HS256'], currentDate: new Date(now()) });
        if (typeof payload.sub !== 'string') throw new Error('no subject');
        return payload.sub;
      } catch {
        throw new ApiError(401, 'UNAUTHORIZED', 'The token is invalid or has expired');
      }
    },
  };
}
export type TokenIssuer = ReturnType<typeof createTokenIssuer>;
