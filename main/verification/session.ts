import type { Progress, VerificationOutcome } from '../../app/contract';
import { KioskError } from '../../app/errors';
import type { BiointellicClient } from '../biointellic/client';
import { normalizeForLiveness, normalizeForMatch, type NormalizedImage } from '../imaging/normalize';
import type { Logger } from '../log';

interface Held {
  /** What the match endpoint receives. */
  forMatch: NormalizedImage;
  /** Live photo only: the PNG the liveness endpoint receives. */
  forLiveness?: NormalizedImage;
}

/**
 * One visitor's images, held in main's memory only, normalised once when they arrive and zeroed
 * on reset. run() calls liveness and, only on a pass, match.
 */
export function createVerificationSession(deps: {
  client: () => Promise<BiointellicClient>;
  debug: () => boolean;
  onProgress: (progress: Progress) => void;
  logger: Logger;
  now?: () => number;
}) {
  const now = deps.now ?? Date.now;
  let idPhoto: Held | null = null;
  let livePhoto: Held | null = null;

  const wipe = (held: Held | null) => {
    held?.forMatch.bytes.fill(0);
    held?.forLiveness?.bytes.fill(0);
  };

  return {
    async setIdPhoto(bytes: Uint8Array) {
      // The received bytes are main's own copy: zero them once normalised, whatever happens.
      const forMatch = await normalizeForMatch(bytes).finally(() => bytes.fill(0));
      wipe(idPhoto);
      idPhoto = { forMatch };
      return { width: forMatch.width, height: forMatch.height };
    },

    async setLivePhoto(bytes: Uint8Array) {
      const forLiveness = await normalizeForLiveness(bytes).finally(() => bytes.fill(0));
      const forMatch = await normalizeForMatch(forLiveness.bytes);
      wipe(livePhoto);
      livePhoto = { forLiveness, forMatch };
      return { width: forLiveness.width, height: forLiveness.height };
    },

    async run(attempt: number): Promise<VerificationOutcome> {
      if (!idPhoto || !livePhoto?.forLiveness) {
        throw new KioskError('invalid_request', 'Both the ID photo and the live photo are needed first.');
      }
      const started = now();
      const { forLiveness, forMatch: live } = livePhoto;
      const id = idPhoto.forMatch;
      const debug = deps.debug();
      deps.onProgress({ attempt, stage: 'preparing' });
      const client = await deps.client();
      deps.onProgress({ attempt, stage: 'liveness' });
      const liveness = await client.liveness(forLiveness.bytes, { debug });
      let outcome: VerificationOutcome;
      if (!liveness.pass) {
        outcome = { decision: 'not_verified', liveness, durationMs: now() - started };
      } else {
        deps.onProgress({ attempt, stage: 'match' });
        const match = await client.match(id, live, { debug });
        outcome = { decision: match.pass ? 'verified' : 'not_verified', liveness, match, durationMs: now() - started };
      }
      deps.onProgress({ attempt, stage: 'done' });
      deps.logger.log('info', 'verification.done', { attempt, decision: outcome.decision, durationMs: outcome.durationMs });
      return outcome;
    },

    reset() {
      wipe(idPhoto);
      wipe(livePhoto);
      idPhoto = null;
      livePhoto = null;
    },
  };
}
