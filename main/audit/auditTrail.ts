import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Settings } from '../../app/settings';
import type { LogFields, Logger } from '../log';
import { openAuditLog, type NewAuditRecord, type StaffAction } from './auditLog';
import { startSyslogForwarder, type ForwardingStatus } from './syslogForwarder';

/** Records waiting for the collector, at most: about 50 MB of audit text, weeks of a busy desk. */
export const FORWARD_QUEUE_MAX = 50_000;

export type CheckRecord = Omit<NewAuditRecord, 'station' | 'backend' | 'backendUrl'>;

/**
 * The station's audit trail: every check and every staff action in the audit database (and staff
 * actions in main.log too), records past the retention purged at start and daily. A write that
 * fails (a full disk) is logged, never thrown: the visitor's answer must not be lost to it.
 * With a collector provisioned (settings `auditCollector`, read at start), every record is also
 * queued and sent to it in the background (syslogForwarder.ts); a visit never waits on it.
 */
export function openAuditTrail(options: {
  dataDir: string;
  logger: Logger;
  settings: () => Settings;
  chainKey: Buffer | null;
  /** Tests shorten the queue and the waits between attempts. */
  forwarding?: { maxQueued?: number; retry?: { minMs: number; maxMs: number } };
}) {
  const { logger, settings } = options;
  const collector = settings().auditCollector;
  const log = openAuditLog(join(options.dataDir, 'audit.sqlite'), {
    chainKey: options.chainKey,
    forward: collector ? { hostname: hostname(), maxQueued: options.forwarding?.maxQueued ?? FORWARD_QUEUE_MAX } : null,
  });
  const forwarder =
    collector && log.forwardQueue
      ? startSyslogForwarder({ queue: log.forwardQueue, collector, logger, ...(options.forwarding?.retry ? { retry: options.forwarding.retry } : {}) })
      : null;
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
        forwarder?.wake();
      } catch (error) {
        writeFailed(error);
      }
    },
    /** One verification, with the station and the backend it ran against; answers its row's id (null when it could not be written). */
    recordCheck(entry: CheckRecord): number | null {
      const { stationName, backend } = settings();
      try {
        const id = log.record({
          ...entry,
          station: stationName,
          backend: backend.kind,
          backendUrl: backend.kind === 'remote' ? backend.url : 'built-in engine',
        });
        forwarder?.wake();
        return id;
      } catch (error) {
        writeFailed(error);
        return null;
      }
    },
    /** How forwarding to the collector stands, for staff; null when none is provisioned. */
    forwarding: (): ForwardingStatus | null => forwarder?.status() ?? null,
    async dispose(): Promise<void> {
      clearInterval(purgeTimer);
      await forwarder?.close();
      log.close();
    },
  };
}

export type AuditTrail = ReturnType<typeof openAuditTrail>;
