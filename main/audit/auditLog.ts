/**
 * One row per verification: what was decided, by which backend, with the service's request ids
 * and scores — never an image or a face descriptor. SQLite in WAL mode with synchronous=FULL:
 * a record is on disk when record() returns, and a crash loses nothing committed.
 */
import Database from 'better-sqlite3';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { AuditEntrySchema, AuditQuerySchema, type StaffActionEntry } from '../../app/contract';
import { AUDIT_RETENTION_FLOOR_DAYS } from '../../app/settings';
import { chmodSync } from 'node:fs';
import { openAuditChain } from './auditChain';
import { openForwardQueue } from './forwardQueue';
import type { LogFields } from '../log';

/** The same shape crosses IPC (app/contract.ts), so the staff view gets exactly what is stored. */
export const AuditRecordSchema = AuditEntrySchema;
export type AuditRecord = z.infer<typeof AuditRecordSchema>;
export type NewAuditRecord = Omit<AuditRecord, 'id' | 'time'>;

export const AuditFilterSchema = AuditQuerySchema.extend({
  limit: z.number().int().min(1).max(1000).default(100),
  offset: z.number().int().min(0).default(0),
});
export type AuditFilter = z.input<typeof AuditFilterSchema>;

export type StaffAction =
  | 'station.provisioned'
  | 'provisioning.refused'
  | 'consent.agreed'
  | 'consent.declined'
  | 'settings.updated'
  | 'debug.on'
  | 'debug.off'
  | 'pin.set'
  | 'pin.rejected'
  | 'pin.locked'
  | 'staff.unlocked'
  | 'staff.identified'
  | 'station.unlocked'
  | 'station.locked'
  | 'credentials.stored'
  | 'audit.exported'
  | 'review.approved'
  | 'review.denied'
  | 'kiosk.quit';

const COLUMNS = [
  'id',
  'time',
  'station',
  'backend',
  'backendUrl',
  'attempt',
  'livenessRequestId',
  'livenessScore',
  'livenessPass',
  'matchRequestId',
  'matchScore',
  'matchPass',
  'rejectionCode',
  'durationMs',
  'decision',
  'debug',
  'blink',
  'documentKind',
  'documentState',
  'documentExpiry',
  'documentMrz',
] as const;

type Row = Record<(typeof COLUMNS)[number], unknown>;
const toRecord = (row: Row): AuditRecord =>
  AuditRecordSchema.parse({
    ...row,
    livenessPass: row.livenessPass === null ? null : row.livenessPass === 1,
    matchPass: row.matchPass === null ? null : row.matchPass === 1,
    debug: row.debug === null ? null : row.debug === 1,
  });

const STAFF_COLUMNS = ['time', 'station', 'action', 'detail'] as const;
const STAFF_ENTRY = ['id', ...STAFF_COLUMNS] as const;

/** The database and its journal files: readable by the kiosk's user only, as every other file it keeps. */
function ownerOnly(path: string): void {
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      chmodSync(file, 0o600);
    } catch {
      // a journal file not created yet
    }
  }
}

/**
 * `chainKey`: the key that seals each row (auditChain.ts), from the OS keychain; null when the
 * keychain could not be had: rows are then recorded unsealed, and `verify()` says so.
 * `forward`: every row is also queued for the bank's collector (forwardQueue.ts), as from
 * `hostname`, when the station has one (syslogForwarder.ts sends them).
 */
export function openAuditLog(
  path: string,
  options: { now?: () => Date; chainKey?: Buffer | null; forward?: { hostname: string; maxQueued: number } | null } = {},
) {
  const now = options.now ?? (() => new Date());
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE IF NOT EXISTS verification (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time TEXT NOT NULL, station TEXT NOT NULL, backend TEXT NOT NULL, backendUrl TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    livenessRequestId TEXT, livenessScore REAL, livenessPass INTEGER,
    matchRequestId TEXT, matchScore REAL, matchPass INTEGER,
    rejectionCode TEXT, durationMs INTEGER NOT NULL, decision TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS verification_time ON verification (time);`);
  // What staff did (settings, debug, PIN, unlocks, exports, quitting): accountable, like the checks.
  db.exec(`CREATE TABLE IF NOT EXISTS staff_action (
    id INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, station TEXT NOT NULL, action TEXT NOT NULL, detail TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS staff_action_time ON staff_action (time);`);
  // Logs from before debug was recorded gain the column; their rows say null (not known).
  const columns = db.prepare('PRAGMA table_info(verification)').all() as Array<{ name: string }>;
  if (!columns.some((c) => c.name === 'debug')) db.exec('ALTER TABLE verification ADD COLUMN debug INTEGER');
  for (const text of ['blink', 'documentKind', 'documentState', 'documentExpiry', 'documentMrz'])
    if (!columns.some((c) => c.name === text)) db.exec(`ALTER TABLE verification ADD COLUMN ${text} TEXT`);

  const chain = openAuditChain(db, options.chainKey ?? null, { verification: COLUMNS.slice(1), staff_action: STAFF_COLUMNS });
  ownerOnly(path);
  const sealed = [...COLUMNS.slice(1), 'prevHash', 'hash'];
  const insert = db.prepare(`INSERT INTO verification (${sealed.join(', ')}) VALUES (${sealed.map((c) => `@${c}`).join(', ')})`);
  const insertAction = db.prepare(
    'INSERT INTO staff_action (time, station, action, detail, prevHash, hash) VALUES (@time, @station, @action, @detail, @prevHash, @hash)',
  );
  const forward = options.forward ? { queue: openForwardQueue(db, options.forward), hostname: options.forward.hostname } : null;
  /** What the collector receives of a row: its fields as staff see them, never a hash or an image. */
  const forwarded = (table: 'verification' | 'staff_action', id: number, row: Record<string, unknown>) =>
    table === 'verification'
      ? { msgid: 'check', severity: 'info' as const, body: toRecord({ ...row, id } as Row) }
      : { msgid: 'staff-action', severity: 'notice' as const, body: { id, ...row, detail: JSON.parse(row.detail as string) as unknown } };
  /** Inserts a row with its link and seal (and queues it), in one transaction so no other row slips between. */
  const insertSealed = db.transaction((table: 'verification' | 'staff_action', row: Record<string, unknown>) => {
    const id = Number((table === 'verification' ? insert : insertAction).run({ ...row, ...chain.seal(table, row) }).lastInsertRowid);
    forward?.queue.enqueue({ time: row.time as string, hostname: forward.hostname, ...forwarded(table, id, row) });
    return id;
  });

  const purge = db.transaction((days: number): number => {
    const cutoff = new Date(now().getTime() - Math.max(AUDIT_RETENTION_FLOOR_DAYS, days) * 86_400_000).toISOString();
    let deleted = 0;
    for (const table of ['verification', 'staff_action'] as const) {
      const last = (db.prepare(`SELECT MAX(id) AS id FROM ${table} WHERE time < ?`).get(cutoff) as { id: number | null }).id;
      if (last === null) continue;
      chain.anchor(table, last);
      deleted += db.prepare(`DELETE FROM ${table} WHERE id <= ?`).run(last).changes;
    }
    return deleted;
  });

  function where(filter: z.output<typeof AuditFilterSchema>) {
    const conditions = { decision: 'decision = @decision', from: 'time >= @from', to: 'time <= @to' } as const;
    const given = (Object.keys(conditions) as Array<keyof typeof conditions>).filter((key) => filter[key]);
    const params = Object.fromEntries(given.map((key) => [key, filter[key]!]));
    return { sql: given.length ? `WHERE ${given.map((key) => conditions[key]).join(' AND ')}` : '', params };
  }

  return {
    record(entry: NewAuditRecord): number {
      const row = {
        ...entry,
        time: now().toISOString(),
        livenessPass: entry.livenessPass === null ? null : Number(entry.livenessPass),
        matchPass: entry.matchPass === null ? null : Number(entry.matchPass),
        debug: entry.debug === null ? null : Number(entry.debug),
      };
      return insertSealed('verification', row);
    },
    list(input: AuditFilter = {}): { records: AuditRecord[]; total: number } {
      const filter = AuditFilterSchema.parse(input);
      const { sql, params } = where(filter);
      const total = (db.prepare(`SELECT COUNT(*) AS n FROM verification ${sql}`).get(params) as { n: number }).n;
      const rows = db
        .prepare(`SELECT * FROM verification ${sql} ORDER BY id DESC LIMIT @limit OFFSET @offset`)
        .all({ ...params, limit: filter.limit, offset: filter.offset }) as Row[];
      return { records: rows.map(toRecord), total };
    },
    /** The filtered records as CSV, oldest first, with how many there are. */
    exportCsv(input: Omit<AuditFilter, 'limit' | 'offset'> = {}): { csv: string; count: number } {
      const { sql, params } = where(AuditFilterSchema.parse(input));
      const rows = (db.prepare(`SELECT * FROM verification ${sql} ORDER BY id`).all(params) as Row[]).map(toRecord);
      // escape_formulas: a text cell starting with = + - @ (a station name, a service's id or code)
      // is prefixed with ' so a spreadsheet shows it instead of running it; numbers stay numbers.
      const csv = stringify(rows, { header: true, columns: [...COLUMNS], escape_formulas: true, cast: { boolean: (v) => (v ? 'true' : 'false') } });
      return { csv, count: rows.length };
    },
    /** One staff action; `detail` says what changed, never a secret (callers pass names and states). */
    recordStaffAction(entry: { station: string; action: StaffAction; detail?: LogFields }): void {
      insertSealed('staff_action', { time: now().toISOString(), station: entry.station, action: entry.action, detail: JSON.stringify(entry.detail ?? {}) });
    },
    /** Staff actions, newest first (at most `limit`), with how many match. */
    listStaffActions(input: { from?: string | undefined; to?: string | undefined; limit?: number | undefined } = {}): {
      actions: StaffActionEntry[];
      total: number;
    } {
      const { sql, params } = where(AuditFilterSchema.parse(input));
      const total = (db.prepare(`SELECT COUNT(*) AS n FROM staff_action ${sql}`).get(params) as { n: number }).n;
      const actions = db
        .prepare(`SELECT ${STAFF_ENTRY.join(', ')} FROM staff_action ${sql} ORDER BY id DESC LIMIT @limit`)
        .all({ ...params, limit: input.limit ?? 1000 }) as StaffActionEntry[];
      return { actions, total };
    },
    /** The staff actions as CSV, oldest first, formulas escaped as for the checks. */
    exportStaffCsv(input: { from?: string | undefined; to?: string | undefined } = {}): { csv: string; count: number } {
      const { sql, params } = where(AuditFilterSchema.parse(input));
      const rows = db.prepare(`SELECT ${STAFF_ENTRY.join(', ')} FROM staff_action ${sql} ORDER BY id`).all(params) as StaffActionEntry[];
      return { csv: stringify(rows, { header: true, columns: [...STAFF_ENTRY], escape_formulas: true }), count: rows.length };
    },
    /**
     * Deletes records (checks and staff actions) older than `days`, never fewer than the floor;
     * returns how many. Rows go from the oldest on, up to the last one older than the cutoff, so
     * the chain keeps one unbroken run from its anchor.
     */
    purgeOlderThan: (days: number): number => purge(days),
    /** The queue of rows for the collector; null when the station forwards none. */
    forwardQueue: forward?.queue ?? null,
    /** Whether every row still holds (auditChain.ts); `npm run cli -- audit verify`. */
    verify: () => chain.verify(),

    close(): void {
      db.close();
    },
  };
}
export type AuditLog = ReturnType<typeof openAuditLog>;
