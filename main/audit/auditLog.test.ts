import Database from 'better-sqlite3';
import { mkdtemp } from 'node:fs/promises';
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

async function fresh(clock = { t: Date.parse('2026-11-01T10:00:00Z') }) {
  const path = join(await mkdtemp(join(tmpdir(), 'audit-')), 'audit.sqlite');
  return { path, clock, log: openAuditLog(path, { now: () => new Date(clock.t) }) };
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
    expect(log.listStaffActions()).toEqual([]);
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
