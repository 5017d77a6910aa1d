/**
 * The audit records waiting for the bank's collector, in the audit database itself: each is
 * queued in the transaction that records it, so a record is either kept and queued or neither,
 * and the queue survives a restart. Bounded: a full queue refuses new entries (the record itself
 * is still kept in the audit log), counts them, and queues a `not-forwarded` notice for the
 * collector ahead of the next entry it takes, so the SIEM sees the gap and how large it was.
 */
import type { Database } from 'better-sqlite3';
import { syslogMessage, type SyslogRecord } from './syslogMessage';

export interface ForwardBacklog {
  /** Messages waiting to be sent. */
  queued: number;
  /** Records kept here but not queued because the queue was full, since the collector last took the notice. */
  notQueued: number;
}

export function openForwardQueue(db: Database, options: { maxQueued: number }) {
  db.exec(`CREATE TABLE IF NOT EXISTS forward_queue (seq INTEGER PRIMARY KEY AUTOINCREMENT, message TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS forward_state (key TEXT PRIMARY KEY, value INTEGER NOT NULL);`);
  const count = db.prepare('SELECT COUNT(*) AS n FROM forward_queue');
  const insert = db.prepare('INSERT INTO forward_queue (message) VALUES (?)');
  const nextSeq = () => ((db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'forward_queue'").get() as { seq: number } | undefined)?.seq ?? 0) + 1;
  const notQueued = () => (db.prepare("SELECT value FROM forward_state WHERE key = 'notQueued'").get() as { value: number } | undefined)?.value ?? 0;
  const setNotQueued = (n: number) =>
    db.prepare("INSERT INTO forward_state (key, value) VALUES ('notQueued', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(n);
  const queued = () => (count.get() as { n: number }).n;

  return {
    /** Call within the transaction that records the row. False when the queue was full. */
    enqueue(record: Omit<SyslogRecord, 'seq'>): boolean {
      const missed = notQueued();
      if (queued() + (missed > 0 ? 2 : 1) > options.maxQueued) {
        setNotQueued(missed + 1);
        return false;
      }
      if (missed > 0) {
        const notice = `${missed} audit record(s) were kept on the station but not forwarded: its forwarding queue was full`;
        insert.run(syslogMessage({ ...record, seq: nextSeq(), msgid: 'not-forwarded', severity: 'warning', body: { notForwarded: missed, note: notice } }));
        setNotQueued(0);
      }
      insert.run(syslogMessage({ ...record, seq: nextSeq() }));
      return true;
    },
    /** The oldest waiting messages, in the order they were recorded. */
    next(limit: number): Array<{ seq: number; message: string }> {
      return db.prepare('SELECT seq, message FROM forward_queue ORDER BY seq LIMIT ?').all(limit) as Array<{ seq: number; message: string }>;
    },
    /** The collector confirmed every message up to `seq`. */
    delivered(seq: number): void {
      db.prepare('DELETE FROM forward_queue WHERE seq <= ?').run(seq);
    },
    backlog: (): ForwardBacklog => ({ queued: queued(), notQueued: notQueued() }),
  };
}
export type ForwardQueue = ReturnType<typeof openForwardQueue>;
