/**
 * Liveness and match sent together (main/verification/session.ts): the built-in engine always,
 * a hosted service where the station chose it. Main's own session and the real client against
 * the test server on 127.0.0.1, its answers set per test; the signals the session hands the
 * client are kept, so a cancel is seen to reach both calls.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BiointellicClient } from '../../main/biointellic/client';
import type { NewAuditRecord } from '../../main/audit/auditLog';
import { silentLogger } from '../../main/log';
import { createVerificationSession } from '../../main/verification/session';
import { startTestServer, type TestServer } from '../support/biointellicTestServer';
import { clientFor } from '../support/clientFor';
import { makeJpeg } from '../support/images';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.close());

type AuditRow = Omit<NewAuditRecord, 'station' | 'backend' | 'backendUrl'>;

async function visit(backend: 'local' | 'remote', checksAtOnce: boolean) {
  const { client } = clientFor(server, { timeoutMs: 30_000 });
  const signals: Record<'liveness' | 'match', AbortSignal[]> = { liveness: [], match: [] };
  const watching: BiointellicClient = {
    ...client,
    liveness: (png, opts) => {
      if (opts?.signal) signals.liveness.push(opts.signal);
      return client.liveness(png, opts);
    },
    match: (image1, image2, opts) => {
      if (opts?.signal) signals.match.push(opts.signal);
      return client.match(image1, image2, opts);
    },
  };
  const audit: AuditRow[] = [];
  const stages: string[] = [];
  let forgotten = 0;
  const preanalysed: Uint8Array[] = [];
  const session = createVerificationSession({
    client: async () => watching,
    debug: () => false,
    judging: () => ({
      reviewMarginPercent: 5,
      sayNotVerified: true,
      blinkCheck: 'off' as const,
      documentRules: { requireMrz: false, acceptedKinds: ['passport' as const] },
      backend: { kind: backend },
      checksAtOnce,
    }),
    documents: { read: () => Promise.reject(new Error('no document in this test')), find: async () => null },
    onProgress: (progress) => stages.push(progress.stage),
    logger: silentLogger,
    limits: { check: () => undefined, failed: async () => undefined },
    audit: (row) => {
      audit.push(row);
      return audit.length;
    },
    forgetAnalyses: async () => {
      forgotten += 1;
    },
    preanalyze: async (bytes) => {
      preanalysed.push(new Uint8Array(bytes));
    },
  });
  await session.setIdPhoto(await makeJpeg(600, 800));
  await session.setLivePhoto({ image: await makeJpeg(1280, 720) });
  return { session, audit, signals, stages, preanalysed, forgotten: () => forgotten };
}

const NOT_LIVE = { result: '0.100', pass: false };
const LIVE = { result: '0.990', pass: true };
const SAME = { result: '97', pass: true };

describe('liveness and match at once', () => {
  it('sends both together on the built-in engine, and a failed liveness is never "Verified" though the match passed; the audit row keeps both answers', async () => {
    server.state.livenessResult = NOT_LIVE;
    server.state.matchResult = SAME;
    const { session, audit, stages } = await visit('local', false);
    const outcome = await session.run(1);
    expect(outcome.decision).toBe('not_verified');
    expect(stages).toEqual(['preparing', 'liveness', 'done']); // the screen never says it is matching
    expect(outcome.match).toBeUndefined(); // judged without it, as when it was not asked
    expect(server.count('match')).toBe(1);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ decision: 'not_verified', rejectionCode: 'not_live', livenessPass: false, matchScore: 97, matchPass: true });
  });

  it('asks a hosted service for the match only after liveness passed, unless the station chose both at once', async () => {
    server.state.livenessResult = NOT_LIVE;
    const sequential = await visit('remote', false);
    await sequential.session.run(1);
    expect(server.count('match')).toBe(0);
    expect(sequential.audit[0]).toMatchObject({ matchScore: null, matchPass: null });
    const atOnce = await visit('remote', true);
    await atOnce.session.run(1);
    expect(server.count('match')).toBe(1);
  });

  it('has the match in flight while liveness is still out, and gives the same verdict as one after the other', async () => {
    server.state.livenessResult = LIVE;
    server.state.matchResult = SAME;
    const { session } = await visit('local', false);
    server.fault('liveness', { kind: 'hang' });
    const running = session.run(1).catch((error: unknown) => error);
    await expect.poll(() => server.count('match')).toBe(1);
    expect(server.count('liveness')).toBe(1);
    await session.reset();
    await running;
    const verdicts = [];
    for (const [backend, atOnce] of [
      ['local', false],
      ['remote', false],
    ] as const) {
      const v = await visit(backend, atOnce);
      verdicts.push((await v.session.run(1)).decision);
      // At once too, the screen says "matching" once liveness has passed.
      expect(v.stages).toEqual(['preparing', 'liveness', 'match', 'done']);
    }
    expect(verdicts).toEqual(['verified', 'verified']);
  });

  it('a reset cancels both calls, records the check as cancelled, and tells the engine to forget the visit', async () => {
    const { session, audit, signals, preanalysed, forgotten } = await visit('local', false);
    expect(preanalysed).toHaveLength(1); // the ID photo, offered to the engine as it was set
    server.fault('liveness', { kind: 'hang' });
    server.fault('match', { kind: 'hang' });
    const running = session.run(1).catch((error: unknown) => error);
    await expect.poll(() => server.count('liveness') + server.count('match')).toBe(2);
    await session.reset();
    expect(await running).toMatchObject({ code: 'cancelled' });
    expect(signals.liveness.every((s) => s.aborted) && signals.match.every((s) => s.aborted)).toBe(true);
    expect(signals.match).toHaveLength(1);
    expect(audit.map((row) => row.decision)).toEqual(['cancelled']);
    expect(forgotten()).toBe(1);
    // The ID photo offered ahead is the very image the match sent.
    expect(server.received.find((r) => r.endpoint === 'match')?.parts.find((p) => p.field === 'image1')?.bytes).toBe(preanalysed[0]?.byteLength);
  });

  it('a liveness error stops the match and is what the visit sees; a match error matters only when the match was needed', async () => {
    server.fault('liveness', { kind: 'reject', code: 'FACE_NOT_FOUND', message: 'No face' });
    server.fault('match', { kind: 'hang' });
    const refused = await visit('local', false);
    await expect(refused.session.run(3)).rejects.toMatchObject({ service: { code: 'FACE_NOT_FOUND' } });
    expect(refused.signals.match[0]?.aborted).toBe(true);
    expect(refused.audit[0]).toMatchObject({ decision: 'error', matchScore: null });

    server.state.livenessResult = NOT_LIVE;
    server.fault('match', { kind: 'status', status: 500 }, { kind: 'status', status: 500 }, { kind: 'status', status: 500 });
    const notLive = await visit('local', false);
    await expect(notLive.session.run(1)).resolves.toMatchObject({ decision: 'not_verified' });

    server.state.livenessResult = LIVE;
    server.fault('match', { kind: 'reject', code: 'FACE_NOT_FOUND', message: 'No face in image2' });
    const live = await visit('local', false);
    await expect(live.session.run(3)).rejects.toMatchObject({ service: { code: 'FACE_NOT_FOUND' } });
    expect(live.audit[0]).toMatchObject({ decision: 'error', livenessPass: true });
  });
});
