import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAuditLog } from '../../main/audit/auditLog';

describe('audit log under a crash', () => {
  it('keeps every committed record when the writer is SIGKILLed mid-burst, and opens cleanly', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'audit-crash-')), 'audit.sqlite');
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../support/auditWriter.ts'), path], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const committed: number[] = [];
    let buffer = '';
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop()!;
        committed.push(...lines.map(Number));
        if (committed.length >= 300 && !child.killed) child.kill('SIGKILL');
      });
      child.on('exit', () => resolve());
    });
    expect(child.signalCode).toBe('SIGKILL');
    expect(committed.length).toBeGreaterThanOrEqual(300);

    const db = new Database(path);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const ids = new Set((db.prepare('SELECT id FROM verification').all() as Array<{ id: number }>).map((r) => r.id));
    db.close();
    expect(committed.filter((id) => !ids.has(id))).toEqual([]);
    // And the kiosk's own code reopens it and goes on writing.
    const log = openAuditLog(path);
    expect(log.list({ limit: 1 }).total).toBe(ids.size);
    log.close();
  });
});
