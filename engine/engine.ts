import { availableParallelism } from 'node:os';
import { withAnalysisCache } from './analysis/analysisCache';
import { createAnalysisPool, type AnalysisPool } from './analysis/pool';
import { createDebugStore } from './http/debugStore';
import { createEngineMetrics } from './http/metrics';
import { buildServer, type ServerDeps } from './http/server';
import { createTokenIssuer } from './http/tokens';
import { createUserDirectory } from './http/users';

export interface EngineOptions {
  /** userId → scrypt hash (see http/users.ts). */
  users: ReadonlyMap<string, string>;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  tokenTtlSeconds?: number;
  /** The tokens' clock (tests step it instead of waiting out a token's life). */
  now?: () => number;
  debugDir: string;
  workers?: number;
  /**
   * Liveness operating point (0..1) instead of the calibrated LIVENESS_PASS: a site trading
   * security for fewer rejected visitors, or tests whose camera replays a still photo.
   */
  livenessPass?: number;
  /** Share one pool between engines (tests); otherwise the engine owns its own. */
  pool?: AnalysisPool;
  /** The analysis worker's module: the source file by default, the bundled one in the app, the benchmark's baselines. */
  workerUrl?: URL;
  /** Handed to each analysis worker (the benchmark's baseline worker reads which baseline). */
  workerData?: unknown;
  /** Keep match analyses by image hash (analysis/analysisCache.ts); on unless a benchmark measures without. */
  analysisCache?: boolean;
  /**
   * The key tokens are signed with (at least 32 bytes): replicas behind one load balancer share it
   * so each accepts the others' tokens (http/signingKey.ts reads it from a file). Without it, a
   * random key per start: the kiosk's own engine, whose tokens no one else needs to accept.
   */
  signingKey?: Uint8Array;
  /** One JSON line per answered request (the standalone service); none by default. */
  log?: (line: string) => void;
  /** Connection limits (http/server.ts CONNECTION_LIMITS); tests shorten them. */
  connectionLimits?: ServerDeps['limits'];
}

export interface RunningEngine {
  url: string;
  port: number;
  /** The address the socket is bound to, as the OS reports it (not as it was asked for). */
  boundAddress: string;
  /** See AnalysisPool.recycle: frees the analysis workers' memory. */
  recycleWorkers(): Promise<void>;
  /**
   * Analyses a match image now and keeps it by hash (the kiosk's ID photo, while the visitor
   * walks to the camera): the match call that sends it later finds it done. Not on the wire.
   */
  preanalyze(bytes: Uint8Array): Promise<void>;
  /** Forgets the match analyses kept by image hash (the kiosk's visit ended); answers how many. */
  forgetAnalyses(): number;
  /** Drops debug uploads past their retention now (as at start and daily). */
  pruneDebugStore(): Promise<void>;
  /**
   * Stops taking work and ends once the requests in flight are answered: /readyz turns 503 at
   * once, new connections are refused, then the workers stop (SIGTERM in the CLI).
   */
  close(): Promise<void>;
}

/** Starts the local Biointellic engine; resolves once models are warm and the port is open. */
export async function startEngine(options: EngineOptions): Promise<RunningEngine> {
  const workers =
    options.pool ??
    (await createAnalysisPool({
      size: options.workers ?? Math.max(1, Math.min(4, availableParallelism())),
      ...(options.workerData !== undefined ? { workerData: options.workerData } : {}),
      ...(options.workerUrl ? { workerUrl: options.workerUrl } : {}),
    }));
  const metrics = createEngineMetrics(workers);
  // Timings are counted where the work happens: below the cache, whose answers cost none.
  const measured: AnalysisPool = {
    ...workers,
    analyze: async (kind, bytes) => {
      const analysis = await workers.analyze(kind, bytes);
      metrics.analysed(kind, analysis.timings);
      return analysis;
    },
  };
  const cached = options.analysisCache === false ? null : withAnalysisCache(measured);
  const pool = cached ?? measured;
  let draining = false;
  const debugStore = createDebugStore(options.debugDir);
  // Debug uploads are pruned when one arrives, and also now and daily, so faces kept while debug
  // was on go at their retention even when no debug request ever comes again.
  await debugStore.prune();
  const pruneDaily = setInterval(
    () =>
      void debugStore
        .prune()
        .catch((error: unknown) => console.error(`engine: the debug store could not be pruned: ${error instanceof Error ? error.message : String(error)}`)),
    24 * 3_600_000,
  );
  pruneDaily.unref();
  const app = await buildServer({
    users: createUserDirectory(options.users),
    tokens: createTokenIssuer({
      ttlSeconds: options.tokenTtlSeconds ?? 3600,
      ...(options.now ? { now: options.now } : {}),
      ...(options.signingKey ? { secret: options.signingKey } : {}),
    }),
    pool,
    debugStore,
    metrics,
    draining: () => draining,
    ...(options.log ? { log: options.log } : {}),
    ...(options.livenessPass !== undefined ? { livenessPass: options.livenessPass } : {}),
    ...(options.connectionLimits ? { limits: options.connectionLimits } : {}),
  });
  const host = options.host ?? '127.0.0.1';
  await app.listen({ host, port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    boundAddress: typeof address === 'object' && address ? address.address : '',
    recycleWorkers: () => pool.recycle(),
    forgetAnalyses: () => cached?.forget() ?? 0,
    preanalyze: async (bytes) => {
      if (cached) await cached.analyze('match', bytes);
    },
    pruneDebugStore: () => debugStore.prune(),
    async close() {
      draining = true;
      clearInterval(pruneDaily);
      await app.close();
      if (!options.pool) await pool.close();
    },
  };
}
