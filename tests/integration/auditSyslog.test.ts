/**
 * The audit trail reaching the bank's log: main's own audit trail (main/audit/auditTrail.ts) with
 * a collector provisioned, against Debian's rsyslogd listening for syslog over TLS on loopback,
 * started here with a test CA. What rsyslog writes to its file is what a SIEM would ingest.
 */
import { mkdtemp } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../app/settings';
import { openAuditTrail, type CheckRecord } from '../../main/audit/auditTrail';
import type { Logger } from '../../main/log';
import { freePort } from '../support/freePort';
import { startRsyslog, testCertificates, type Collector } from '../support/rsyslog';

const check = (over: Partial<CheckRecord> = {}): CheckRecord => ({
  attempt: 1,
  livenessRequestId: '9d7b234a-37c2-4696-adcf-3d75d835a94d',
  livenessScore: 0.91,
  livenessPass: true,
  matchRequestId: '7eb4e932-1d55-4bbd-a030-97f911a4d22c',
  matchScore: 88.2,
  matchPass: true,
  rejectionCode: null,
  durationMs: 640,
  decision: 'verified',
  debug: false,
  blink: 'seen',
  documentKind: 'passport',
  documentState: 'D',
  documentExpiry: 'valid',
  documentMrz: 'verified',
  ...over,
});

/** One line of rsyslog's file: the fields it parsed from our RFC 5424 message. */
const parse = (line: string) => {
  const [host, msgid, sd, ...rest] = line.split('|');
  return {
    host,
    msgid,
    sequenceId: Number(/sequenceId="(\d+)"/.exec(sd ?? '')?.[1]),
    body: JSON.parse(rest.join('|').replace(/^\ufeff/, '')) as Record<string, unknown>,
  };
};

let certs: { caPem: string; cert: string; key: string };
let strangers: { caPem: string; cert: string; key: string };
beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'collector-certs-'));
  [certs, strangers] = await Promise.all([testCertificates(dir, 'bank'), testCertificates(dir, 'other')]);
});

const opened: Array<{ dispose(): Promise<void> }> = [];
const collectors: Collector[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((trail) => trail.dispose()));
  await Promise.all(collectors.splice(0).map((collector) => collector.stop()));
});

async function collectorOn(port: number, which = certs) {
  const collector = await startRsyslog({ port, cert: which.cert, key: which.key });
  collectors.push(collector);
  return collector;
}

async function station(port: number, options: { maxQueued?: number } = {}) {
  const settings: Settings = { ...DEFAULT_SETTINGS, stationName: 'Front desk 2', auditCollector: { host: '127.0.0.1', port, caPem: certs.caPem } };
  const logged: Array<{ event: string; fields: unknown }> = [];
  const logger: Logger = { log: (_level, event, fields) => logged.push({ event, fields }) };
  const trail = openAuditTrail({
    dataDir: await mkdtemp(join(tmpdir(), 'kiosk-audit-')),
    logger,
    settings: () => settings,
    chainKey: Buffer.alloc(32, 9),
    forwarding: { retry: { minMs: 200, maxMs: 2_000 }, ...options },
  });
  opened.push(trail);
  return { trail, logged };
}

describe('the audit trail sent to the bank’s collector (RFC 5424 over TLS)', () => {
  it('delivers each check and staff action in order, from this station, with its fields and nothing else', async () => {
    const collector = await collectorOn(await freePort());
    const { trail } = await station(collector.port);
    const id = trail.recordCheck(check());
    trail.note('settings.updated', { changed: 'language' });
    await expect.poll(async () => (await collector.received()).length, { timeout: 15_000 }).toBe(2);
    const [first, second] = (await collector.received()).map(parse);
    expect(first).toMatchObject({
      host: hostname(),
      msgid: 'check',
      sequenceId: 1,
      body: { id, station: 'Front desk 2', decision: 'verified', matchScore: 88.2 },
    });
    expect(second).toMatchObject({
      host: hostname(),
      msgid: 'staff-action',
      sequenceId: 2,
      body: { action: 'settings.updated', detail: { changed: 'language' } },
    });
    // Neither the chain's seals nor anything but the row's own fields.
    expect(Object.keys(first!.body)).not.toContain('hash');
    expect(trail.forwarding()).toMatchObject({ state: 'delivered', queued: 0, notQueued: 0, lastError: null });
  });

  it('loses nothing while the collector is stopped for a minute, sends the backlog in order when it returns, and never holds up a visit', async () => {
    const collector = await collectorOn(await freePort());
    const { trail, logged } = await station(collector.port);
    trail.recordCheck(check());
    await expect.poll(async () => (await collector.received()).length, { timeout: 15_000 }).toBe(1);
    await collector.stop();
    const ids: Array<number | null> = [];
    // Visits go on through the outage: each row is recorded at once, whatever the collector does.
    for (let i = 0; i < 12; i++) {
      ids.push(trail.recordCheck(check({ decision: i % 3 === 0 ? 'not_verified' : 'verified', attempt: (i % 3) + 1 })));
      await new Promise((r) => setTimeout(r, 5_000));
    }
    expect(ids.every((id) => typeof id === 'number')).toBe(true);
    expect(trail.forwarding()).toMatchObject({ state: 'unreachable', queued: 12 });
    expect(logged.some((entry) => entry.event === 'audit.forwarding_failed')).toBe(true);
    await collector.start();
    await expect.poll(async () => new Set((await collector.received()).map((line) => parse(line).sequenceId)).size, { timeout: 30_000 }).toBe(13);
    const received = (await collector.received()).map(parse);
    const firstSeen = [...new Set(received.map((r) => r.body.id as number))];
    expect(firstSeen.slice(1)).toEqual(ids); // every record of the outage, in the order recorded
    console.log(`audit forwarding: 12 records across a 60-s outage, ${received.length - 13} sent twice`);
    expect(trail.forwarding()).toMatchObject({ state: 'delivered', queued: 0 });
  }, 150_000);

  it('sends nothing to a collector whose certificate the station does not trust, and keeps the records', async () => {
    const impostor = await collectorOn(await freePort(), strangers);
    const { trail } = await station(impostor.port);
    trail.recordCheck(check());
    await expect.poll(() => trail.forwarding()?.state, { timeout: 15_000 }).toBe('certificate_refused');
    expect(trail.forwarding()).toMatchObject({ queued: 1, lastError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    expect(await impostor.received()).toEqual([]);
  });

  it('keeps recording when the queue is full, tells staff, and tells the collector how many it missed', async () => {
    const port = await freePort();
    const { trail } = await station(port, { maxQueued: 3 });
    const ids = Array.from({ length: 5 }, () => trail.recordCheck(check()));
    expect(ids.every((id) => typeof id === 'number')).toBe(true);
    expect(trail.log.list().total).toBe(5);
    expect(trail.forwarding()).toMatchObject({ queued: 3, notQueued: 2 });
    const collector = await collectorOn(port);
    await expect.poll(() => trail.forwarding()?.queued, { timeout: 15_000 }).toBe(0);
    trail.recordCheck(check());
    await expect.poll(async () => (await collector.received()).length, { timeout: 15_000 }).toBe(5);
    const received = (await collector.received()).map(parse);
    expect(received.map((r) => r.msgid)).toEqual(['check', 'check', 'check', 'not-forwarded', 'check']);
    expect(received[3]!.body).toMatchObject({ notForwarded: 2 });
    expect(trail.forwarding()).toMatchObject({ state: 'delivered', queued: 0, notQueued: 0 });
  });
});
