import type { Progress, VerificationOutcome } from '../../app/contract';
import { KioskError } from '../../app/errors';
import type { BiointellicClient } from '../biointellic/client';
import { normalizeForLiveness, normalizeForMatch, type NormalizedImage } from '../imaging/normalize';
import type { NewAuditRecord } from '../audit/auditLog';
import type { Logger } from '../log';
import { idPhotoKey } from './attemptLimits';

interface Held {
  /** What the match endpoint receives. */
  forMatch: NormalizedImage;
  /** Live photo only: the PNG the liveness endpoint receives. */
  forLiveness?: NormalizedImage;
}

/**
 * One visitor's images, held in main's memory only, normalised once when they arrive and zeroed
 * on reset. run() calls liveness and, only on a pass, match. reset() first aborts a run in flight
 * and waits for it to end, so no request ever carries images being zeroed, and the run's audit
 * row says `cancelled`.
 */
export function createVerificationSession(deps: {
  client: () => Promise<BiointellicClient>;
  debug: () => boolean;
  onProgress: (progress: Progress) => void;
  logger: Logger;
  /** Attempt limits across visits (attemptLimits.ts): checked before a run, told of each unsuccessful one. */
  limits: { check: (idKey: string) => void; failed: (idKey: string) => Promise<unknown> };
  /** Writes one audit record per run; gets everything but the station and backend. */
  audit: (entry: Omit<NewAuditRecord, 'station' | 'backend' | 'backendUrl'>) => void;
  now?: () => number;
}) {
  const now = deps.now ?? Date.now;
  /** `key`: what attempt limits count the ID photo under (a hash). */
  let idPhoto: (Held & { key: string }) | null = null;
  let livePhoto: Held | null = null;
  let inFlight: { controller: AbortController; settled: Promise<unknown> } | null = null;

  const wipe = (held: Held | null) => {
    held?.forMatch.bytes.fill(0);
    held?.forLiveness?.bytes.fill(0);
  };

  return {
    async setIdPhoto(bytes: Uint8Array) {
      // The received bytes are main's own copy: zero them once normalised, whatever happens.
      const forMatch = await normalizeForMatch(bytes).finally(() => bytes.fill(0));
      wipe(idPhoto);
      idPhoto = { forMatch, key: idPhotoKey(forMatch.bytes) };
      return { width: forMatch.width, height: forMatch.height };
    },

    async setLivePhoto(bytes: Uint8Array) {
      const forLiveness = await normalizeForLiveness(bytes).finally(() => bytes.fill(0));
      const forMatch = await normalizeForMatch(forLiveness.bytes);
      wipe(livePhoto);
      livePhoto = { forLiveness, forMatch };
      return { width: forLiveness.width, height: forLiveness.height };
    },

    run(attempt: number): Promise<VerificationOutcome> {
      const controller = new AbortController();
      const running = runOnce(attempt, controller.signal);
      const current = { controller, settled: running.catch(() => undefined) };
      inFlight = current;
      void current.settled.then(() => {
        if (inFlight === current) inFlight = null;
      });
      return running;
    },

    async reset() {
      if (inFlight) {
        inFlight.controller.abort();
        await inFlight.settled;
      }
      wipe(idPhoto);
      wipe(livePhoto);
      idPhoto = null;
      livePhoto = null;
    },
  };

  async function runOnce(attempt: number, signal: AbortSignal): Promise<VerificationOutcome> {
    if (!idPhoto || !livePhoto?.forLiveness) {
      throw new KioskError('invalid_request', 'Both the ID photo and the live photo are needed first.');
    }
    const started = now();
    const { forLiveness, forMatch: live } = livePhoto;
    const { forMatch: id, key: idKey } = idPhoto;
    const debug = deps.debug();
    let liveness: VerificationOutcome['liveness'] | null = null;
    let match: VerificationOutcome['match'] | null = null;
    const audit = (decision: NewAuditRecord['decision'], rejectionCode: string | null) =>
      deps.audit({
        attempt,
        livenessRequestId: liveness?.requestId ?? null,
        livenessScore: liveness?.score ?? null,
        livenessPass: liveness?.pass ?? null,
        matchRequestId: match?.requestId ?? null,
        matchScore: match?.score ?? null,
        matchPass: match?.pass ?? null,
        rejectionCode,
        durationMs: Math.round(now() - started),
        decision,
        debug,
      });
    try {
      deps.limits.check(idKey);
      deps.onProgress({ attempt, stage: 'preparing' });
      const client = await deps.client();
      deps.onProgress({ attempt, stage: 'liveness' });
      liveness = await client.liveness(forLiveness.bytes, { debug, signal });
      if (liveness.pass) {
        deps.onProgress({ attempt, stage: 'match' });
        match = await client.match(id, live, { debug, signal });
      }
    } catch (error) {
      if (signal.aborted) {
        audit('cancelled', null);
        throw new KioskError('cancelled', 'The visit was reset while it was being checked.');
      }
      const code = error instanceof KioskError ? (error.service?.code ?? error.code) : 'protocol_error';
      audit('error', code);
      throw error;
    }
    const decision = liveness.pass && match?.pass ? 'verified' : 'not_verified';
    const outcome: VerificationOutcome = { decision, liveness, ...(match ? { match } : {}), durationMs: now() - started };
    deps.onProgress({ attempt, stage: 'done' });
    audit(decision, null);
    if (decision === 'not_verified') await deps.limits.failed(idKey);
    deps.logger.log('info', 'verification.done', { attempt, decision, durationMs: outcome.durationMs });
    return outcome;
  }
}
