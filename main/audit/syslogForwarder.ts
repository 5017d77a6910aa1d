/**
 * Sends the queued audit records (forwardQueue.ts) to the bank's collector as RFC 5424 syslog
 * over TLS (RFC 5425), oldest first, and deletes them only once the collector has confirmed it
 * read them. Syslog over TLS has no acknowledgement, so each batch goes on a connection of its
 * own: the kiosk writes the batch, closes its side (TLS close_notify, then FIN), and waits for
 * the collector to close its side in turn, which it does only after reading everything before
 * the close. A batch without that answer (the collector stopped, the network gone) stays queued
 * and is sent again: a record may then reach the SIEM twice, with the same sequenceId, but never
 * not at all. Nothing here is on a visit's path: recording a row only queues it.
 */
import { isIP } from 'node:net';
import { connect, type TLSSocket } from 'node:tls';
import type { AuditForwarding } from '../../app/contract';
import type { Logger } from '../log';
import type { ForwardQueue } from './forwardQueue';
import { octetCounted } from './syslogMessage';

export interface Collector {
  host: string;
  port: number;
  /** The CA certificate(s), PEM, that the collector's certificate must chain to. */
  caPem: string;
}

export type ForwardingStatus = AuditForwarding;
type ForwardingState = AuditForwarding['state'];

const BATCH = 500;
const CONFIRM_TIMEOUT_MS = 15_000;

/** The TLS errors that mean "this is not the collector we trust", not "it is away". */
const CERTIFICATE_ERRORS = new Set([
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
]);

/** Writes `frames` on a new TLS connection and resolves once the collector has closed its side after them. */
function sendConfirmed(collector: Collector, frames: Buffer[]): Promise<void> {
  return new Promise((resolve, reject) => {
    let socket: TLSSocket | null = null;
    const timer = setTimeout(
      () => socket?.destroy(Object.assign(new Error('the collector did not confirm in time'), { code: 'ETIMEDOUT' })),
      CONFIRM_TIMEOUT_MS,
    );
    socket = connect(
      {
        host: collector.host,
        port: collector.port,
        ...(isIP(collector.host) ? {} : { servername: collector.host }),
        ca: collector.caPem,
        minVersion: 'TLSv1.2',
      },
      () => {
        for (const frame of frames) socket!.write(frame);
        socket!.end();
      },
    );
    let confirmed = false;
    socket.on('data', () => undefined); // a collector says nothing; read so its close is seen
    socket.once('end', () => {
      confirmed = true;
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.once('close', () => {
      clearTimeout(timer);
      if (confirmed) resolve();
      else reject(Object.assign(new Error('the collector closed the connection without reading to the end'), { code: 'ECONNRESET' }));
    });
  });
}

export function startSyslogForwarder(options: {
  queue: ForwardQueue;
  collector: Collector;
  logger: Logger;
  /** Waits between attempts while the collector is away: from `minMs`, doubling to `maxMs`. */
  retry?: { minMs: number; maxMs: number };
  now?: () => Date;
}) {
  const { queue, collector, logger } = options;
  const retry = options.retry ?? { minMs: 1_000, maxMs: 60_000 };
  const now = options.now ?? (() => new Date());
  let state: ForwardingState = 'delivered';
  let lastDelivered: string | null = null;
  let lastError: string | null = null;
  let delay = retry.minMs;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let closed = false;

  async function drain(): Promise<void> {
    for (let batch = queue.next(BATCH); batch.length > 0 && !closed; batch = queue.next(BATCH)) {
      state = 'sending';
      await sendConfirmed(
        collector,
        batch.map((entry) => octetCounted(entry.message)),
      );
      queue.delivered(batch.at(-1)!.seq);
      lastDelivered = now().toISOString();
    }
  }

  function schedule(ms: number) {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = null;
      wake();
    }, ms);
    timer.unref();
  }

  /** Sends what is queued now (a new record calls it); retries by itself while the collector is away. */
  function wake(): void {
    if (closed || running) return;
    running = drain()
      .then(
        () => {
          if (state !== 'delivered') logger.log('info', 'audit.forwarding_delivered', { queued: queue.backlog().queued });
          state = 'delivered';
          lastError = null;
          delay = retry.minMs;
        },
        (error: unknown) => {
          const code = (error as NodeJS.ErrnoException).code ?? 'unknown';
          const refused = CERTIFICATE_ERRORS.has(code);
          if (lastError !== code)
            logger.log('warn', 'audit.forwarding_failed', { code, host: collector.host, port: collector.port, queued: queue.backlog().queued });
          state = refused ? 'certificate_refused' : 'unreachable';
          lastError = code;
          schedule(delay);
          delay = Math.min(delay * 2, retry.maxMs);
        },
      )
      .finally(() => {
        running = null;
        // A record queued while a batch was out is sent now rather than at the next record.
        if (state === 'delivered' && queue.backlog().queued > 0) wake();
      });
  }

  wake();
  return {
    wake,
    status: (): ForwardingStatus => ({ state, ...queue.backlog(), lastDelivered, lastError }),
    /** Stops sending (what is queued stays queued for the next start). */
    async close(): Promise<void> {
      closed = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
export type SyslogForwarder = ReturnType<typeof startSyslogForwarder>;
