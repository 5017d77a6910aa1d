import Database from 'better-sqlite3';
import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAuditLog, type NewAuditRecord } from './auditLog';

const entry = (over: Partial<NewAuditRecord> = {}): NewAuditRecord => ({
  station: 'Front desk 1',
  backend: 'remote',
  backendUrl: 'https://bio.example',
  attempt: 1,
  livenessRequestId: '9d7b234a-37c2-4696-adcf-3d75d835a94d',
  livenessScore: 0.8755132,
  livenessPass: true,
  matchRequestId: '7eb4e932-1d55-4bbd-a030-97f911a4d22c',
  matchScore: 67.68598,
  matchPass: true,
  rejectionCode: null,
  durationMs: 812,
  decision: 'verified',
  debug: false,
  blink: 'seen',
  documentKind: null,
  documentState: null,
  documentExpiry: null,
  documentMrz: null,
  ...over,
});

const KEY = Buffer.alloc(32, 9);

async function fresh(clock = { t: Date.parse('2026-11-01T10:00:00Z') }) {
  const path = join(await mkdtemp(join(tmpdir(), 'audit-')), 'audit.sqlite');
  return { path, clock, log: openAuditLog(path, { now: () => new Date(clock.t), chainKey: KEY }) };
}

describe('audit log', () => {
  it('stores one record per verification and lists newest first, with filters', async () => {
    const { log, clock } = await fresh();
    log.record(entry());
    clock.t += 60_000;
    log.record(entry({ decision: 'not_verified', matchScore: 31.2, matchPass: false }));
    clock.t += 60_000;
    log.record(
      entry({
        decision: 'error',
        livenessRequestId: null,
        livenessScore: null,
        livenessPass: null,
        matchRequestId: null,
        matchScore: null,
        matchPass: null,
        rejectionCode: 'FACE_TOO_SMALL',
      }),
    );
    const all = log.list();
    expect(all.total).toBe(3);
    expect(all.records.map((r) => r.decision)).toEqual(['error', 'not_verified', 'verified']);
    expect(all.records[2]).toMatchObject({ time: '2026-11-01T10:00:00.000Z', livenessPass: true, matchScore: 67.68598 });
    expect(log.list({ decision: 'error' }).records[0]).toMatchObject({ rejectionCode: 'FACE_TOO_SMALL', livenessPass: null });
    expect(log.list({ from: '2026-11-01T10:00:30.000Z', to: '2026-11-01T10:01:30.000Z' }).records.map((r) => r.decision)).toEqual(['not_verified']);
    expect(log.list({ limit: 1, offset: 1 }).records.map((r) => r.decision)).toEqual(['not_verified']);
  });

  it('exports CSV with a header and quoted fields', async () => {
    const { log } = await fresh();
    log.record(entry({ station: 'Desk "A", lobby' }));
    const { csv, count } = log.exportCsv();
    expect(count).toBe(1);
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe(
      'id,time,station,backend,backendUrl,attempt,livenessRequestId,livenessScore,livenessPass,matchRequestId,matchScore,matchPass,rejectionCode,durationMs,decision,debug,blink,documentKind,documentState,documentExpiry,documentMrz',
    );
    expect(lines[1]).toContain('"Desk ""A"", lobby"');
    expect(lines[1]).toMatch(/,true,.*,true,,812,verified,false,seen,,,,$/);
  });

  it('exports text that looks like a formula as text, so a spreadsheet never runs it', async () => {
    const { log } = await fresh();
    log.record(entry({ station: '=HYPERLINK("https://evil.example","Desk")', livenessRequestId: '+cmd|x', rejectionCode: '@SUM(1)', livenessScore: -0.5 }));
    const [, line] = log.exportCsv().csv.trim().split('\n');
    expect(line).toContain(`"'=HYPERLINK(""https://evil.example"",""Desk"")"`);
    expect(line).toContain(`,'+cmd|x,`);
    expect(line).toContain(`,'@SUM(1),`);
    // A number is not a formula: a negative score stays a number.
    expect(line).toContain(',-0.5,');
  });

  it('purges records and staff actions older than the retention, never fewer than 30 days', async () => {
    const { log, clock } = await fresh();
    log.record(entry());
    log.recordStaffAction({ station: 'Desk', action: 'kiosk.quit' });
    clock.t += 20 * 86_400_000;
    log.record(entry());
    // Asked for 5 days, kept 30: nothing is 30 days old yet.
    expect(log.purgeOlderThan(5)).toBe(0);
    clock.t += 15 * 86_400_000;
    expect(log.purgeOlderThan(5)).toBe(2);
    expect(log.list().total).toBe(1);
    expect(log.listStaffActions()).toEqual({ actions: [], total: 0 });
  });

  it('keeps a WAL journal and has no column for an image or a descriptor', async () => {
    const { log, path } = await fresh();
    log.record(entry());
    log.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const columns = db.prepare('PRAGMA table_info(verification)').all() as Array<{ name: string; type: string }>;
    expect(columns.filter((c) => c.type === 'BLOB' || /image|descriptor|embedding/i.test(c.name))).toEqual([]);
    db.close();
  });

  it('records whether debug was on and the blink watch, and gains those columns in a log from before them (old rows: null)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'audit-old-'));
    const path = join(dir, 'audit.sqlite');
    const old = new Database(path);
    old.exec(`CREATE TABLE verification (id INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, station TEXT NOT NULL, backend TEXT NOT NULL,
      backendUrl TEXT NOT NULL, attempt INTEGER NOT NULL, livenessRequestId TEXT, livenessScore REAL, livenessPass INTEGER, matchRequestId TEXT,
      matchScore REAL, matchPass INTEGER, rejectionCode TEXT, durationMs INTEGER NOT NULL, decision TEXT NOT NULL);
      INSERT INTO verification (time, station, backend, backendUrl, attempt, durationMs, decision) VALUES ('2026-11-01T09:00:00.000Z', 'Desk', 'local', 'built-in engine', 1, 700, 'verified');`);
    old.close();
    const log = openAuditLog(path, { now: () => new Date('2026-11-01T10:00:00Z') });
    log.record(entry({ debug: true, blink: 'prompted' }));
    expect(log.list().records.map((r) => [r.debug, r.blink])).toEqual([
      [true, 'prompted'],
      [null, null],
    ]);
    log.close();
  });
});

describe('the audit chain', () => {
  /** A log of three checks and two staff actions, closed, and a way to change its file as an intruder would. */
  async function written() {
    const { path, log, clock } = await fresh();
    log.record(entry());
    log.recordStaffAction({ station: 'Desk', action: 'staff.unlocked' });
    clock.t += 1_000;
    log.record(entry({ decision: 'not_verified', matchScore: 31.2, matchPass: false }));
    log.recordStaffAction({ station: 'Desk', action: 'audit.exported' });
    log.record(entry());
    expect(log.verify()).toEqual({ checked: { verification: 3, staff_action: 2 }, broken: null, unsealed: 0, unchained: 0 });
    log.close();
    const tamper = (sql: string) => {
      const db = new Database(path);
      db.exec(sql);
      db.close();
      return openAuditLog(path, { chainKey: KEY }).verify();
    };
    return { path, tamper };
  }

  it('names the first row that was altered, removed or inserted, and the table', async () => {
    expect((await written()).tamper("UPDATE verification SET decision = 'verified', matchPass = 1 WHERE id = 2").broken).toEqual({
      table: 'verification',
      id: 2,
      why: 'was altered',
    });
    expect((await written()).tamper('DELETE FROM verification WHERE id = 2').broken).toMatchObject({ table: 'verification', id: 3 });
    expect((await written()).tamper('UPDATE staff_action SET detail = \'{"name":"someone else"}\' WHERE id = 1').broken).toMatchObject({
      table: 'staff_action',
      id: 1,
    });
    // A row copied in with a link and seal of its own making does not hold either.
    expect(
      (await written()).tamper(
        "INSERT INTO verification (time, station, backend, backendUrl, attempt, durationMs, decision, prevHash, hash) SELECT time, station, backend, backendUrl, attempt, durationMs, 'verified', hash, hash FROM verification WHERE id = 3",
      ).broken,
    ).toMatchObject({ table: 'verification', id: 4, why: 'was altered' });
    // Clearing a row's chain columns does not pass it off as an older kiosk's row.
    expect((await written()).tamper('UPDATE verification SET prevHash = NULL, hash = NULL WHERE id = 3').broken).toMatchObject({ id: 3 });
  });

  it('is checked with the key only: another key finds the first row altered', async () => {
    const { path } = await written();
    expect(openAuditLog(path, { chainKey: Buffer.alloc(32, 1) }).verify().broken).toEqual({ table: 'verification', id: 1, why: 'was altered' });
  });

  it('holds across a purge at the retention, and an altered purge record is found', async () => {
    const { log, clock, path } = await fresh();
    for (let day = 0; day < 40; day++) {
      log.record(entry());
      log.recordStaffAction({ station: 'Desk', action: 'settings.updated' });
      clock.t += 86_400_000;
    }
    expect(log.purgeOlderThan(30)).toBe(20);
    expect(log.verify()).toMatchObject({ checked: { verification: 30, staff_action: 30 }, broken: null });
    log.close();
    const db = new Database(path);
    db.exec("UPDATE chain_anchor SET prevHash = 'x' WHERE tbl = 'verification'");
    db.close();
    expect(openAuditLog(path, { chainKey: KEY }).verify().broken).toMatchObject({ table: 'verification', id: null });
  });

  it("records rows unsealed when the key cannot be had, and says so; an older log's rows count as unchained", async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'audit-')), 'audit.sqlite');
    const old = new Database(path);
    old.exec(`CREATE TABLE verification (id INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, station TEXT NOT NULL, backend TEXT NOT NULL, backendUrl TEXT NOT NULL,
      attempt INTEGER NOT NULL, livenessRequestId TEXT, livenessScore REAL, livenessPass INTEGER, matchRequestId TEXT, matchScore REAL, matchPass INTEGER,
      rejectionCode TEXT, durationMs INTEGER NOT NULL, decision TEXT NOT NULL);
      INSERT INTO verification (time, station, backend, backendUrl, attempt, durationMs, decision) VALUES ('2026-10-01T00:00:00.000Z', 'Desk', 'remote', 'u', 1, 5, 'verified');`);
    old.close();
    const locked = openAuditLog(path, { chainKey: null });
    locked.record(entry());
    locked.close();
    const log = openAuditLog(path, { chainKey: KEY });
    log.record(entry());
    expect(log.verify()).toEqual({ checked: { verification: 3, staff_action: 0 }, broken: null, unsealed: 1, unchained: 1 });
  });

  it('keeps the database readable by the kiosk user only', async () => {
    const { path, log } = await fresh();
    log.record(entry());
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });
});
