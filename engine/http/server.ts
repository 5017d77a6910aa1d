import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { LIVENESS, MATCH } from '../../app/imageRequirements';
import type { Analysis } from '../analysis/analyze';
import type { AnalysisPool } from '../analysis/pool';
import { AnalysisFailure } from '../analysis/workerProtocol';
import { LIVENESS_PASS, asResultString, cosineSimilarity, matchScore } from '../analysis/scores';
import type { DebugStore } from './debugStore';
import { ApiError, sendError } from './errors';
import { checkLivenessFaces, checkLivenessFile, checkMatchFile, matchFace } from './imageGates';
import { createLoginLimiter } from './loginLimiter';
import type { EngineMetrics } from './metrics';
import type { TokenIssuer } from './tokens';
import { UPLOAD_LIMITS, readFiles, uploadError } from './uploads';
import type { UserDirectory } from './users';

export interface ServerDeps {
  users: UserDirectory;
  tokens: TokenIssuer;
  pool: AnalysisPool;
  debugStore: DebugStore;
  limiter?: ReturnType<typeof createLoginLimiter>;
  /** Liveness operating point; LIVENESS_PASS unless the operator chose another. */
  livenessPass?: number;
  /** Connection limits; CONNECTION_LIMITS unless a test shortens them. */
  limits?: Partial<ConnectionLimits>;
  /** Counts for /metrics (metrics.ts); the engine makes them. */
  metrics: EngineMetrics;
  /** One JSON line per answered request (a service's log); the kiosk's own engine logs none. */
  log?: (line: string) => void;
  /** True once the engine is shutting down: /readyz says so, and the load balancer looks elsewhere. */
  draining?: () => boolean;
}

/**
 * A client that sends its request slowly, or opens connections and sends nothing, cannot hold the
 * engine: the whole request must arrive within `requestMs` (then 408 and the socket closed), an
 * idle socket closes after `idleMs`, a kept-alive one after `keepAliveMs`, and at most
 * `maxConnections` are open at once (more are refused). A kiosk's largest upload is a few MB on
 * loopback or a LAN: seconds, not tens of seconds.
 */
export interface ConnectionLimits {
  requestMs: number;
  idleMs: number;
  keepAliveMs: number;
  maxConnections: number;
}
export const CONNECTION_LIMITS: Readonly<ConnectionLimits> = { requestMs: 30_000, idleMs: 30_000, keepAliveMs: 5_000, maxConnections: 256 };

function basicCredentials(header: string | undefined): { userId: string; password: string } | null {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 ? { userId: decoded.slice(0, colon), password: decoded.slice(colon + 1) } : null;
}

/** Exactly "true" stores images; the document says any other value must not. */
const wantsDebug = (request: FastifyRequest) => (request.query as Record<string, unknown>).debug === 'true';

async function analysed(pool: AnalysisPool, kind: 'liveness' | 'match', bytes: Uint8Array): Promise<Analysis> {
  try {
    return await pool.analyze(kind, bytes);
  } catch (error) {
    if (error instanceof AnalysisFailure && error.kind === 'unavailable') {
      throw new ApiError(503, 'ANALYSIS_UNAVAILABLE', 'The face analysis stopped; please try again');
    }
    // `decode`, and an analysis that failed on what the picture holds: the image is the cause.
    throw new ApiError(400, 'INVALID_IMAGE', 'Unable to decode the image');
  }
}

export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const limiter = deps.limiter ?? createLoginLimiter();
  const limits = { ...CONNECTION_LIMITS, ...deps.limits };
  const app = Fastify({
    logger: false,
    bodyLimit: 64 * 1024,
    return503OnClosing: true,
    requestTimeout: limits.requestMs,
    connectionTimeout: limits.idleMs,
    keepAliveTimeout: limits.keepAliveMs,
    // Node checks request timeouts every 30 s by default: a 30-s limit could hold a socket 60 s.
    http: { connectionsCheckingInterval: Math.min(1_000, limits.requestMs / 2), headersTimeout: limits.requestMs },
  });
  app.server.maxConnections = limits.maxConnections;
  await app.register(multipart, { limits: UPLOAD_LIMITS });

  const { metrics } = deps;
  /** The error code each refused request was answered with, for its log line. */
  const refusedWith = new WeakMap<FastifyRequest, string>();
  const refuse = (request: FastifyRequest, reply: FastifyReply, error: ApiError) => {
    metrics.refused(error.code);
    refusedWith.set(request, error.code);
    return sendError(reply, error);
  };
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof ApiError) return refuse(request, reply, error);
    const mapped = uploadError(error);
    if (mapped) return refuse(request, reply, mapped);
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) return refuse(request, reply, new ApiError(status, 'BAD_REQUEST', 'The request could not be read'));
    return refuse(request, reply, new ApiError(500, 'INTERNAL_ERROR', 'The engine failed to process the request'));
  });
  app.setNotFoundHandler((request, reply) => refuse(request, reply, new ApiError(404, 'NOT_FOUND', `Cannot ${request.method} ${request.url.split('?')[0]}`)));
  app.addHook('onResponse', async (request, reply) => {
    // The route's pattern, never the URL as sent: a scan of random paths adds no series.
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.answered(route, reply.statusCode, reply.elapsedTime / 1000);
    deps.log?.(
      JSON.stringify({
        time: new Date().toISOString(),
        level: reply.statusCode >= 500 ? 'error' : 'info',
        msg: 'request',
        method: request.method,
        route,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
        ...(refusedWith.has(request) ? { code: refusedWith.get(request) } : {}),
      }),
    );
  });

  // For load balancers and orchestrators: alive, ready for work, and the counts.
  app.get('/healthz', async () => ({ status: 'alive' }));
  app.get('/readyz', async (_request, reply) => {
    const { workers, busy } = deps.pool.stats();
    const status = deps.draining?.() ? 'draining' : workers === 0 ? 'starting' : busy >= workers ? 'busy' : 'ready';
    return reply.status(status === 'ready' ? 200 : 503).send({ status, workers, busy });
  });
  app.get('/metrics', async (_request, reply) => reply.type(metrics.contentType).send(await metrics.text()));

  /** Verifies the bearer token before reading the upload; a refused upload is drained, not read. */
  async function caller(request: FastifyRequest): Promise<string> {
    try {
      return await deps.tokens.verify(request.headers.authorization);
    } catch (error) {
      request.raw.resume();
      throw error;
    }
  }

  app.post('/api/authenticate', async (request, reply) => {
    const credentials = basicCredentials(request.headers.authorization);
    // Limited per address and per user: one address guessing, or many guessing one account.
    const attempt = limiter.reserve([`address ${request.ip}`, ...(credentials ? [`user ${credentials.userId}`] : [])]);
    if (attempt.wait > 0) {
      reply.header('retry-after', String(attempt.wait));
      throw new ApiError(429, 'TOO_MANY_ATTEMPTS', `Too many failed logins; try again in ${attempt.wait} s`);
    }
    if (!credentials || !(await deps.users.check(credentials.userId, credentials.password))) {
      throw new ApiError(401, 'UNAUTHORIZED', 'Invalid credentials');
    }
    attempt.succeeded();
    return reply.type('text/plain; charset=utf-8').send(await deps.tokens.issue(credentials.userId));
  });

  app.post('/api/liveness', async (request) => {
    const userId = await caller(request);
    const { data } = await readFiles(request, [LIVENESS.multipartField]);
    try {
      await checkLivenessFile(data);
      const analysis = await analysed(deps.pool, 'liveness', data);
      checkLivenessFaces(analysis);
      const score = analysis.live ?? 0;
      const body = { id: randomUUID(), service: 'LIVENESS', result: asResultString(score), userId, pass: score >= (deps.livenessPass ?? LIVENESS_PASS) };
      if (wantsDebug(request)) await deps.debugStore.keep(body.id, { data: { bytes: data, extension: 'png' } }, body);
      return body;
    } finally {
      data.fill(0);
    }
  });

  app.post('/api/match', async (request) => {
    const userId = await caller(request);
    const { image1, image2 } = await readFiles(request, MATCH.multipartFields);
    try {
      const [ext1, ext2] = await Promise.all([checkMatchFile(image1, 'image1'), checkMatchFile(image2, 'image2')]);
      const [a, b] = await Promise.all([analysed(deps.pool, 'match', image1), analysed(deps.pool, 'match', image2)]);
      const score = matchScore(cosineSimilarity(matchFace(a, 'image1'), matchFace(b, 'image2')));
      const body = { id: randomUUID(), service: 'MATCH', result: asResultString(score), userId, pass: score >= MATCH.passThreshold };
      if (wantsDebug(request)) {
        await deps.debugStore.keep(body.id, { image1: { bytes: image1, extension: ext1 }, image2: { bytes: image2, extension: ext2 } }, body);
      }
      return body;
    } finally {
      image1.fill(0);
      image2.fill(0);
    }
  });

  return app;
}
