import { randomBytes } from 'node:crypto';
import { availableParallelism, totalmem } from 'node:os';
import { join } from 'node:path';
import { KioskError } from '../../app/errors';
import type { RunningEngine, EngineOptions } from '../../engine/engine';
import { parseLivenessPass } from '../../engine/analysis/scores';
import { hashPassword } from '../../engine/http/users';
import type { CredentialStore } from '../credentials/keychain';
import type { LocalBackend } from '../backend/serviceClient';
import type { Logger } from '../log';

export const EMBEDDED_USER = 'kiosk';

/**
 * The built-in engine's analysis workers, sized to the machine. A kiosk serves one visitor at a
 * time, but liveness and match are sent together (main/verification/session.ts): a second worker
 * analyses the live photo for both at once, capture → verdict ~370 ms instead of ~520 ms (p50,
 * bench:timeline, 2 cores), for ~260 MB more (one worker ~490 MB, two ~750 MB: docs/benchmarks.md).
 * A machine under 8 GB, or with one core, keeps one.
 */
export function embeddedWorkers(cores: number, memoryBytes: number): 1 | 2 {
  return cores >= 2 && memoryBytes >= 8 * 1024 ** 3 ? 2 : 1;
}
/** Keychain account of the generated engine password (the same store as remote passwords). */
export const EMBEDDED_ACCOUNT = `${EMBEDDED_USER}@local-engine`;

/**
 * The built-in engine as the kiosk's default backend: started on first use on a free loopback
 * port, with an account whose password is generated once and kept in the OS keychain. If the
 * keychain cannot be used, a password for this run only is kept in main's memory instead: the
 * engine listens on loopback and restarts with the app, so nothing is lost but the reuse.
 */
export function createEmbeddedEngine(deps: {
  store: CredentialStore;
  dataDir: string;
  logger: Logger;
  start: (options: EngineOptions) => Promise<RunningEngine>;
  /** IT's liveness operating point (BIOINTELLIC_ENGINE_LIVENESS_PASS), as text; unset = calibrated. */
  livenessPass?: string | undefined;
  /** A packaged kiosk's check of its models and wasm (installIntegrity.ts): the engine never starts on a mismatch. */
  verifyInstall?: (() => Promise<unknown>) | undefined;
}) {
  let starting: Promise<{ engine: RunningEngine; password: string }> | null = null;

  async function password(): Promise<string> {
    try {
      const stored = await deps.store.get(EMBEDDED_ACCOUNT);
      if (stored) return stored;
      const generated = randomBytes(24).toString('base64url');
      await deps.store.set(EMBEDDED_ACCOUNT, generated);
      return generated;
    } catch (error) {
      if (!(error instanceof KioskError && error.code === 'keychain_unavailable')) throw error;
      deps.logger.log('warn', 'engine.ephemeral_credentials', { reason: error.message });
      return randomBytes(24).toString('base64url');
    }
  }

  /** A bad value must not keep the kiosk from starting: it is logged and the calibrated one used. */
  function operatingPoint(): { livenessPass?: number } {
    try {
      const value = parseLivenessPass(deps.livenessPass);
      return value === undefined ? {} : { livenessPass: value };
    } catch (error) {
      deps.logger.log('warn', 'engine.liveness_pass_ignored', { reason: (error as Error).message });
      return {};
    }
  }

  async function boot() {
    await deps.verifyInstall?.();
    const secret = await password();
    const started = Date.now();
    const engine = await deps.start({
      users: new Map([[EMBEDDED_USER, await hashPassword(secret)]]),
      host: '127.0.0.1',
      port: 0,
      debugDir: join(deps.dataDir, 'engine-debug'),
      workers: embeddedWorkers(availableParallelism(), totalmem()),
      ...operatingPoint(),
    });
    deps.logger.log('info', 'engine.started', { url: engine.url, ms: Date.now() - started });
    return { engine, password: secret };
  }

  return {
    backend(): Promise<LocalBackend> {
      starting ??= boot().catch((error: unknown) => {
        starting = null;
        throw error instanceof KioskError ? error : new KioskError('server_error', 'The built-in engine could not start.', { cause: error });
      });
      return starting.then(({ engine, password: secret }) => ({
        url: engine.url,
        userId: EMBEDDED_USER,
        password: async () => secret,
        pruneDebug: () => engine.pruneDebugStore(),
        forgetAnalyses: () => engine.forgetAnalyses(),
        preanalyze: (bytes: Uint8Array) => engine.preanalyze(bytes),
      }));
    },
    async stop(): Promise<void> {
      const running = await starting?.catch(() => null);
      starting = null;
      await running?.engine.close();
    },
  };
}
