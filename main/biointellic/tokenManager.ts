import { decodeJwt } from 'jose';
import { KioskError } from '../../app/errors';

export interface HeldToken {
  readonly value: string;
  /** Local clock time (ms) at which the token should be replaced; null when it carries no exp. */
  readonly refreshAt: number | null;
  /** Local clock time (ms) at which the service stops accepting it, for display. */
  readonly expiresAt: number | null;
}

const MIN_MARGIN_MS = 60_000;
const MARGIN_FRACTION = 0.2;
const WHOLE_SECOND_MS = 1_000;

/**
 * Reads exp/iat without checking the signature (only the service can). The lifetime is
 * anchored to our own clock at the moment we asked for the token, so neither a skewed kiosk clock
 * nor a slow login expires tokens early, and it is counted one second short: iat and exp are whole
 * seconds, so a token stamped iat=t may have been issued at t + 0.99 s (a 2-s token then lives
 * barely one second; CI once saw exactly that 401). The margin is max(60 s, 20 % of lifetime),
 * capped at half the lifetime: otherwise a token that lives under two minutes would be replaced
 * on every single call.
 */
export function holdToken(value: string, requestedAt: number): HeldToken {
  let claims: ReturnType<typeof decodeJwt>;
  try {
    claims = decodeJwt(value);
  } catch {
    throw new KioskError('protocol_error', 'The service returned a token that is not a JWT.');
  }
  if (typeof claims.exp !== 'number') return { value, refreshAt: null, expiresAt: null };
  const statedMs = typeof claims.iat === 'number' && claims.exp > claims.iat ? (claims.exp - claims.iat) * 1000 : claims.exp * 1000 - requestedAt;
  const lifetimeMs = Math.max(0, statedMs - WHOLE_SECOND_MS);
  const margin = Math.min(Math.max(MIN_MARGIN_MS, MARGIN_FRACTION * lifetimeMs), lifetimeMs / 2);
  const expiresAt = requestedAt + lifetimeMs;
  return { value, refreshAt: expiresAt - margin, expiresAt };
}

export interface TokenManager {
  /** A token that is fresh by the local clock; concurrent callers share one authentication. */
  get(): Promise<HeldToken>;
  /** Called after a 401: forget this token so the next get() authenticates again. */
  invalidate(token: string): void;
  /** Drop the token (credentials changed, or the app is locking). */
  clear(): void;
}

export function createTokenManager(deps: { authenticate: () => Promise<string>; now?: () => number }): TokenManager {
  const now = deps.now ?? Date.now;
  let current: HeldToken | null = null;
  let inFlight: Promise<HeldToken> | null = null;
  let generation = 0;

  const refresh = (): Promise<HeldToken> => {
    if (inFlight) return inFlight;
    const startedIn = generation;
    const requestedAt = now();
    inFlight = deps
      .authenticate()
      .then((raw) => {
        const held = holdToken(raw, requestedAt);
        // A clear() during the request means these credentials are no longer wanted.
        if (startedIn === generation) current = held;
        return held;
      })
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  };

  return {
    get() {
      if (current && (current.refreshAt === null || now() < current.refreshAt)) return Promise.resolve(current);
      return refresh();
    },
    invalidate(token) {
      if (current?.value === token) current = null;
    },
    clear() {
      generation += 1;
      current = null;
    },
  };
}
