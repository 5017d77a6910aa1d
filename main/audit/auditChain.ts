/**
 * Makes the audit database tamper-evident: every row of the chained tables carries the hash of
 * the row before it (`prevHash`) and its own `hash`, an HMAC-SHA256 under a key kept in the OS
 * keychain, of that previous hash and the row's columns. Whoever can write the database file can
 * still change it, but not without `verify()` naming the first row that no longer holds: an edited
 * row fails its own hash, a removed, inserted or reordered one breaks the link after it. Rows
 * purged at the retention leave an anchor (the last purged row's hash, sealed) for the first row kept.
 */
import type { Database } from 'better-sqlite3';
import { createHmac } from 'node:crypto';
import type { CredentialStore } from '../credentials/keychain';
import { stationSecret } from '../credentials/stationSecret';

/** The station's audit chain key, in the OS keychain (one per data folder). */
export const auditChainKey = (store: CredentialStore, dataDir: string, options: { create?: boolean } = {}) =>
  stationSecret(store, dataDir, 'audit-chain-key', options);

export const CHAINED_TABLES = ['verification', 'staff_action'] as const;
export type ChainedTable = (typeof CHAINED_TABLES)[number];

export interface ChainReport {
  /** Rows checked per table. */
  checked: Record<ChainedTable, number>;
  /** The first row that does not hold, or null when every row does. */
  broken: { table: ChainedTable; id: number | null; why: string } | null;
  /** Rows written while the key could not be had (a locked keychain): recorded, not sealed. */
  unsealed: number;
  /** Rows from before the chain existed (an older kiosk's), at the start of a table. */
  unchained: number;
}

export function openAuditChain(db: Database, key: Buffer | null, columns: Record<ChainedTable, readonly string[]>) {
  db.exec('CREATE TABLE IF NOT EXISTS chain_anchor (tbl TEXT PRIMARY KEY, prevHash TEXT NOT NULL, seal TEXT)');
  for (const table of CHAINED_TABLES) {
    const present = (db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map((c) => c.name);
    for (const column of ['prevHash', 'hash']) if (!present.includes(column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} TEXT`);
  }
  const mac = (text: string) => (key ? createHmac('sha256', key).update(text).digest('hex') : null);
  const rowText = (table: ChainedTable, prevHash: string, row: Record<string, unknown>) =>
    `${table}\n${prevHash}\n${JSON.stringify(columns[table].map((c) => row[c] ?? null))}`;
  const anchorText = (table: ChainedTable, prevHash: string) => `anchor\n${table}\n${prevHash}`;
  const anchorOf = (table: ChainedTable) =>
    db.prepare('SELECT prevHash, seal FROM chain_anchor WHERE tbl = ?').get(table) as { prevHash: string; seal: string | null } | undefined;

  return {
    /** The link and seal of a new row of `table`; call within the transaction that inserts it. */
    seal(table: ChainedTable, row: Record<string, unknown>): { prevHash: string; hash: string | null } {
      const last = db.prepare(`SELECT hash FROM ${table} ORDER BY id DESC LIMIT 1`).get() as { hash: string | null } | undefined;
      const prevHash = last ? (last.hash ?? '') : (anchorOf(table)?.prevHash ?? '');
      return { prevHash, hash: mac(rowText(table, prevHash, row)) };
    },
    /** Before rows of `table` up to `lastPurgedId` are deleted: the first row kept links to the anchor. */
    anchor(table: ChainedTable, lastPurgedId: number): void {
      const last = db.prepare(`SELECT hash FROM ${table} WHERE id = ?`).get(lastPurgedId) as { hash: string | null } | undefined;
      const prevHash = last?.hash ?? '';
      db.prepare(
        'INSERT INTO chain_anchor (tbl, prevHash, seal) VALUES (?, ?, ?) ON CONFLICT (tbl) DO UPDATE SET prevHash = excluded.prevHash, seal = excluded.seal',
      ).run(table, prevHash, mac(anchorText(table, prevHash)));
    },
    verify(): ChainReport {
      const report: ChainReport = { checked: { verification: 0, staff_action: 0 }, broken: null, unsealed: 0, unchained: 0 };
      for (const table of CHAINED_TABLES) {
        const anchor = anchorOf(table);
        if (anchor && key && anchor.seal !== mac(anchorText(table, anchor.prevHash))) {
          report.broken = { table, id: null, why: 'the record of purged rows was altered' };
          return report;
        }
        let expected = anchor?.prevHash ?? '';
        let chained = false;
        for (const row of db.prepare(`SELECT * FROM ${table} ORDER BY id`).iterate() as Iterable<
          Record<string, unknown> & { id: number; prevHash: string | null; hash: string | null }
        >) {
          report.checked[table] += 1;
          const broken = (why: string) => ((report.broken = { table, id: row.id, why }), report);
          if (row.prevHash === null && row.hash === null) {
            // Only an older kiosk's rows, before the first chained one, come without a link.
            if (chained) return broken('has no link to the row before it (its chain columns were cleared)');
            report.unchained += 1;
            continue;
          }
          chained = true;
          if (row.prevHash !== expected) return broken('does not follow the row before it (a row was removed, inserted or reordered)');
          if (row.hash === null) report.unsealed += 1;
          else if (key && row.hash !== mac(rowText(table, expected, row))) return broken('was altered');
          expected = row.hash ?? '';
        }
      }
      return report;
    },
  };
}
