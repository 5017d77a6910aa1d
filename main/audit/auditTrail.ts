import { join } from 'node:path';
import type { Settings } from '../../app/settings';
import type { LogFields, Logger } from '../log';
import { openAuditLog, type NewAuditRecord, type StaffAction } from './auditLog';

export type CheckRecord = Omit<NewAuditRecord, 'station' | 'backend' | 'backendUrl'>;

/**
 * The station's audit trail: every check and every staff action in the audit database (and staff
 * actions in main.log too), records past the retention purged at start and daily. A write that
 * fails (a full disk) is logged, never thrown: the visitor's answer must not be lost to it.
 */
export function openAuditTrail(options: { dataDir: string; logger: Logger; settings: () => Settings; chainKey: Buffer | null }) {
  const { logger, settings } = options;
  const log = openAuditLog(join(options.dataDir, 'audit.sqlite'), { chainKey: options.chainKey });
  const writeFailed = (error: unknown) => logger.log('error', 'audit.write_failed', { reason: error instanceof Error ? error.message : 'unknown' });

  const purge = () => {
    const days = settings().auditRetentionDays;
    const deleted = log.purgeOlderThan(days);
    if (deleted > 0) logger.log('info', 'audit.purged', { deleted, days });
  };
  purge();
  const purgeTimer = setInterval(purge, 24 * 3_600_000);
  purgeTimer.unref();

  return {
    log,
    /** A staff action (or a lock staff must lift). */
    note(action: StaffAction, detail: LogFields = {}, level: 'info' | 'warn' = 'info'): void {
      logger.log(level, action, detail);
      try {
        log.recordStaffAction({ station: settings().stationName, action, detail });
      } catch (error) {
        writeFailed(error);
      }
    },
    /** One verification, with the station and the backend it ran against; answers its row's id (null when it could not be written). */
    recordCheck(entry: CheckRecord): number | null {
      const { stationName, backend } = settings();
      try {
        return log.record({ ...entry, station: stationName, backend: backend.kind, backendUrl: backend.kind === 'remote' ? backend.url : 'built-in engine' });
      } catch (error) {
        writeFailed(error);
        return null;
      }
    },
    dispose(): void {
      clearInterval(purgeTimer);
      log.close();
    },
  };
}

export type AuditTrail = ReturnType<typeof openAuditTrail>;
