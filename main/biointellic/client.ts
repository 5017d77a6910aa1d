import { KioskError } from '../../app/errors';
import { LIVENESS, MATCH } from '../../app/imageRequirements';
import { silentLogger, type Logger } from '../log';
import { multipartBody, type ImagePart } from './multipartBody';
import { ServiceErrorSchema, ServiceResultSchema, extractToken } from './responses';
import { endpointUrl, parseServiceUrl } from './serviceUrl';
import { createTokenManager, type HeldToken } from './tokenManager';

export type { ImagePart } from './multipartBody';

export interface CallOptions {
  /** Staff-enabled troubleshooting: the service then keeps the uploaded images. */
  debug?: boolean;
  signal?: AbortSignal;
}

export interface ServiceScore {
  requestId: string;
  score: number;
  pass: boolean;
}

export interface ClientOptions {
  baseUrl: string;
  userId: string;
  /** Reads the password when a token is needed (keychain or environment); never cached here. */
  getPassword: () => Promise<string>;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Extra attempts after a 5xx, a network failure or a timeout; 4xx is never retried. */
  maxRetries?: number;
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  logger?: Logger;
}

export type BiointellicClient = ReturnType<typeof createBiointellicClient>;

interface RawResponse {
  status: number;
  body: string;
  /** The Retry-After header in seconds (a 429's), when present and numeric. */
  retryAfterS: number | null;
}

/** The longest Retry-After the client waits out by itself; a longer one goes back to the caller. */
const MAX_RETRY_AFTER_S = 5;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createBiointellicClient(options: ClientOptions) {
  const base = parseServiceUrl(options.baseUrl);
  const fetchImpl = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxRetries = options.maxRetries ?? 2;
  const backoffMs = options.backoffMs ?? 300;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const logger = options.logger ?? silentLogger;
  const host = base.host;

  /** One HTTP exchange with a timeout that covers the body too; failures become contract errors. */
  async function exchange(url: URL, init: RequestInit, signal?: AbortSignal): Promise<RawResponse> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      const response = await fetchImpl(url, { ...init, signal: combined, redirect: 'manual' });
      const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN);
      return { status: response.status, body: await response.text(), retryAfterS: Number.isFinite(retryAfter) ? retryAfter : null };
    } catch (error) {
      if (signal?.aborted) throw new KioskError('cancelled', 'The request was cancelled.');
      if (timeout.aborted) {
        throw new KioskError('timeout', `${host} did not answer within ${Math.round(timeoutMs / 1000)} s.`);
      }
      throw new KioskError('network_unreachable', `Could not reach ${host} (${networkReason(error)}).`, {
        cause: error,
      });
    }
  }

  /** Retries what may succeed on its own (5xx, network, timeout) with jittered exponential backoff. */
  async function withRetries<T>(what: string, run: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await run();
      } catch (error) {
        if (error instanceof AlreadyRetried) throw error.inner;
        const retriable = error instanceof KioskError && error.retriable;
        if (!retriable || attempt >= maxRetries || signal?.aborted) throw error;
        // A 429 says when to come back: wait that long if it is short, else let the caller decide.
        const waitS = error instanceof RateLimited ? error.retryAfterS : null;
        if (waitS !== null && waitS > MAX_RETRY_AFTER_S) throw error;
        const delay = waitS !== null ? waitS * 1000 : backoffMs * 2 ** attempt * (0.5 + random());
        logger.log('warn', 'biointellic.retry', { what, attempt: attempt + 1, code: error.code, delayMs: Math.round(delay) });
        await sleep(delay);
      }
    }
  }

  async function authenticate(): Promise<string> {
    const password = await options.getPassword();
    const credentials = Buffer.from(`${options.userId}:${password}`, 'utf8').toString('base64');
    const url = endpointUrl(base, 'authenticate');
    return withRetries('authenticate', async () => {
      const response = await exchange(url, { method: 'POST', headers: { authorization: `Basic ${credentials}` } });
      if (response.status === 401 || response.status === 403) {
        throw new KioskError('credentials_rejected', `${host} rejected the password for "${options.userId}".`);
      }
      failOnStatus(response, 'authenticate');
      const token = extractToken(response.body);
      if (!token) throw new KioskError('protocol_error', `${host} answered /api/authenticate without a token.`);
      logger.log('info', 'biointellic.authenticated', { host });
      return token;
    });
  }

  const tokens = createTokenManager({ authenticate, ...(options.now ? { now: options.now } : {}) });

  /** authenticate() retries on its own; its failures must not be retried again by the caller's loop. */
  async function freshToken(): Promise<HeldToken> {
    try {
      return await tokens.get();
    } catch (error) {
      throw new AlreadyRetried(error);
    }
  }

  function failOnStatus(response: RawResponse, endpoint: string): void {
    const { status } = response;
    if (status >= 200 && status < 300) return;
    if (status >= 500) throw new KioskError('server_error', `${host} failed on /api/${endpoint} (HTTP ${status}).`);
    if (status === 413) throw new KioskError('image_too_large', `${host} refused the upload as too large (HTTP 413).`);
    if (status === 429) throw new RateLimited(host, endpoint, response.retryAfterS);
    if (status === 403) {
      throw new KioskError('unauthorized', `The account "${options.userId}" may not use /api/${endpoint} (HTTP 403).`);
    }
    if (status >= 300 && status < 400) {
      throw new KioskError('protocol_error', `${host} redirected /api/${endpoint}; configure the final URL instead.`);
    }
    if (status === 400) {
      const parsed = ServiceErrorSchema.safeParse(parseJson(response.body));
      if (parsed.success) {
        const { code, message } = parsed.data;
        throw new KioskError('face_rejected', `The service rejected the image: ${message} (${code}).`, {
          service: { code, message },
        });
      }
    }
    throw new KioskError('protocol_error', `Unexpected answer from ${host} on /api/${endpoint} (HTTP ${status}).`);
  }

  async function call(
    endpoint: 'liveness' | 'match',
    parts: ReadonlyArray<readonly [string, ImagePart]>,
    { debug = false, signal }: CallOptions,
  ): Promise<ServiceScore> {
    const url = endpointUrl(base, endpoint, debug);
    /** One request; its body holds a copy of the images, zeroed once the exchange is over. */
    const send = async (token: HeldToken) => {
      const { body, contentType } = multipartBody(parts);
      try {
        return await exchange(url, { method: 'POST', headers: { authorization: `Bearer ${token.value}`, 'content-type': contentType }, body }, signal);
      } finally {
        body.fill(0);
      }
    };

    return withRetries(
      endpoint,
      async () => {
        const token = await freshToken();
        let response = await send(token);
        if (response.status === 401) {
          // The token may have been revoked or the clocks disagree: renew once, try once more.
          logger.log('info', 'biointellic.token_rejected', { endpoint });
          tokens.invalidate(token.value);
          response = await send(await freshToken());
          if (response.status === 401) {
            throw new KioskError('unauthorized', `${host} refused a newly issued token on /api/${endpoint} (HTTP 401).`);
          }
        }
        failOnStatus(response, endpoint);
        return interpret(endpoint, response);
      },
      signal,
    );
  }

  function interpret(endpoint: 'liveness' | 'match', response: RawResponse): ServiceScore {
    const parsed = ServiceResultSchema.safeParse(parseJson(response.body));
    if (!parsed.success) {
      throw new KioskError('protocol_error', `${host} sent an unreadable answer on /api/${endpoint}.`);
    }
    const expected = endpoint === 'liveness' ? 'LIVENESS' : 'MATCH';
    if (parsed.data.service.toUpperCase() !== expected) {
      throw new KioskError('protocol_error', `${host} answered /api/${endpoint} for service "${parsed.data.service}".`);
    }
    logger.log('info', 'biointellic.result', { endpoint, requestId: parsed.data.id, pass: parsed.data.pass });
    return { requestId: parsed.data.id, score: parsed.data.result, pass: parsed.data.pass };
  }

  return {
    /** Authenticates now (connection test, CLI `auth`) and returns when the token expires. */
    async checkConnection(): Promise<{ expiresAt: number | null }> {
      tokens.clear();
      const token = await tokens.get();
      return { expiresAt: token.expiresAt };
    },

    liveness(png: Uint8Array, opts: CallOptions = {}): Promise<ServiceScore> {
      return call('liveness', [[LIVENESS.multipartField, { bytes: png, contentType: LIVENESS.mimeType }]], opts);
    },

    match(image1: ImagePart, image2: ImagePart, opts: CallOptions = {}): Promise<ServiceScore> {
      return call(
        'match',
        [
          [MATCH.multipartFields[0], image1],
          [MATCH.multipartFields[1], image2],
        ],
        opts,
      );
    },

    /** Forget the token, e.g. when the credentials change. */
    signOut(): void {
      tokens.clear();
    },
  };
}

/** HTTP 429: retriable, after the service's Retry-After (seconds; null when it gave none). */
class RateLimited extends KioskError {
  constructor(
    host: string,
    endpoint: string,
    readonly retryAfterS: number | null,
  ) {
    const when = retryAfterS === null ? 'shortly' : `in ${retryAfterS} s`;
    super('rate_limited', `${host} is refusing /api/${endpoint} for now (too many attempts); try again ${when}.`);
  }
}

class AlreadyRetried {
  constructor(readonly inner: unknown) {}
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function networkReason(error: unknown): string {
  // undici wraps the reason: TypeError('fetch failed') with the socket error (or "bad port") as cause.
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return cause.message;
  return error instanceof Error ? error.message : 'unknown network error';
}
