import type { PendingReview, Progress, RawFrame, VerificationOutcome } from '../../app/contract';
import { KioskError } from '../../app/errors';
import type { BlinkCheck, BlinkEvidence } from '../../app/blink';
import { MAX_ATTEMPTS, blinkRecord, judge, matchNeeded, withBlink, withDocument, type DocumentRules, type VerdictReason } from '../../app/verdict';
import type { DocumentCheck, DocumentReading } from '../../app/contract';
import type { DocumentReader } from '../document/documentReader';
import { expiryStatus } from '../../app/document/mrz';

const checkOf = ({ found, kind, issuingState, mrz, expiry }: DocumentReading): DocumentCheck => ({ found, kind, issuingState, mrz, expiry });
import type { BiointellicClient } from '../biointellic/client';
import { normalizeForMatch, normalizeLiveCapture, type NormalizedImage } from '../imaging/normalize';
import type { NewAuditRecord } from '../audit/auditLog';
import type { Logger } from '../log';
import { documentKey, idPhotoKey } from './attemptLimits';
import type { Backend } from '../../app/settings';

type Answer = VerificationOutcome['liveness'];

/**
 * Liveness and match sent together. A liveness that fails with an error cancels the match (its
 * answer could not be used) and is the error thrown; a match that fails is handed back beside the
 * liveness answer, since a clear liveness failure does not need it. Both stop on `signal`.
 */
async function bothAtOnce(
  client: BiointellicClient,
  call: { forLiveness: Uint8Array; id: NormalizedImage; live: NormalizedImage; debug: boolean; signal: AbortSignal },
  onLiveness: (liveness: Answer) => void,
): Promise<{ liveness: Answer; match: Answer | null; matchError: unknown }> {
  const matchController = new AbortController();
  const matching = client.match(call.id, call.live, { debug: call.debug, signal: AbortSignal.any([call.signal, matchController.signal]) }).then(
    (answer) => ({ answer, error: null as unknown }),
    (error: unknown) => ({ answer: null, error }),
  );
  const liveness = await client.liveness(call.forLiveness, { debug: call.debug, signal: call.signal }).catch(async (error: unknown) => {
    matchController.abort();
    await matching;
    throw error;
  });
  onLiveness(liveness);
  const { answer, error } = await matching;
  return { liveness, match: answer, matchError: error };
}

interface Held {
  /** What the match endpoint receives. */
  forMatch: NormalizedImage;
  /** Live photo only: the PNG the liveness endpoint receives. */
  forLiveness?: NormalizedImage;
  /** Live photo only: whether its face blinked (app/blink.ts), as the live step saw it. */
  blink?: BlinkEvidence | undefined;
}

/** Why a visit waits for staff, kept beside the images it concerns until staff decide or it ends. */
type ReviewCause = {
  why: VerdictReason | 'error';
  errorCode: string | null;
  attempt: number;
  since: number;
  livenessScore: number | null;
  matchScore: number | null;
  /** The audit row of the check that went to staff: the review's own row names it. */
  checkId?: number | null;
};

/**
 * One visitor's images, held in main's memory only, normalised once when they arrive and zeroed
 * on reset. run() calls liveness and, on a pass or a borderline fail, match, then judges the
 * scores (app/verdict.ts). A visit that needs a person (a borderline score, the last attempt
 * unsuccessful on a station that does not say "Not verified", any error) keeps its images for the
 * staff review until staff decide or the visit ends. reset() first aborts a run in flight and
 * waits for it to end, so no request ever carries images being zeroed, and the run's audit row
 * says `cancelled`.
 */
export function createVerificationSession(deps: {
  client: () => Promise<BiointellicClient>;
  debug: () => boolean;
  /** The staff-set band around the pass points, whether the station may say "Not verified", and its blink check. */
  judging: () => {
    reviewMarginPercent: number;
    sayNotVerified: boolean;
    blinkCheck: BlinkCheck;
    documentRules: DocumentRules;
    backend: Pick<Backend, 'kind'>;
    checksAtOnce: boolean;
  };
  /** Finds and reads the ID document's picture (main/document/documentReader.ts). */
  documents: Pick<DocumentReader, 'read' | 'find'>;
  onProgress: (progress: Progress) => void;
  logger: Logger;
  /** Attempt limits across visits (attemptLimits.ts): checked before a run, told of each unsuccessful one. */
  limits: { check: (idKey: string) => void; failed: (idKey: string) => Promise<unknown> };
  /** Writes one audit record per run; gets everything but the station and backend. */
  /** Records the check; answers its audit row's id (null when it could not be written). */
  audit: (entry: Omit<NewAuditRecord, 'station' | 'backend' | 'backendUrl'>) => number | null;
  /** The visit ended after a check: the backend forgets what it kept of this visit's faces (the built-in engine's cache). */
  forgetAnalyses?: () => Promise<void>;
  /** The ID photo is set: the backend may analyse it ahead of the match (the built-in engine). */
  preanalyze?: (bytes: Uint8Array) => Promise<void>;
  /** How a live capture becomes the two calls' images; bench:timeline gives its baseline the code before issue 26. */
  normalizeLive?: typeof normalizeLiveCapture;
  now?: () => number;
}) {
  const now = deps.now ?? Date.now;
  /** `key`: what attempt limits count the ID photo under (a hash). */
  let idPhoto: (Held & { key: string }) | null = null;
  let livePhoto: Held | null = null;
  let inFlight: { controller: AbortController; settled: Promise<unknown> } | null = null;
  let review: ReviewCause | null = null;
  /** What was read from the ID document: fields in memory for this visit only (strings cannot be zeroed; dropped on reset). */
  let document: DocumentReading | null = null;
  /** The captured document's reading while its OCR runs (setIdDocument); null once reset. */
  let documentRead: Promise<DocumentReading> | null = null;
  /** A check went to the backend since the last reset: its kept analyses are this visit's. */
  let checked = false;

  /** Zeroes the visitor's images held here; returns how many buffers it zeroed. */
  const wipe = (held: Held | null): number => {
    const buffers = held ? [held.forMatch.bytes, ...(held.forLiveness ? [held.forLiveness.bytes] : [])] : [];
    for (const bytes of buffers) bytes.fill(0);
    return buffers.length;
  };

  return {
    async setIdPhoto(bytes: Uint8Array) {
      // The received bytes are main's own copy: zero them once normalised, whatever happens.
      const forMatch = await normalizeForMatch(bytes).finally(() => bytes.fill(0));
      wipe(idPhoto);
      idPhoto = { forMatch, key: idPhotoKey(forMatch.bytes) };
      if (deps.preanalyze) {
        checked = true; // what the engine keeps of it is forgotten with the visit
        // Not awaited: the ID step goes on; the pool takes its own copy of the bytes at once.
        void deps
          .preanalyze(forMatch.bytes)
          .catch((error: unknown) => deps.logger.log('warn', 'engine.preanalyze_failed', { reason: error instanceof Error ? error.message : String(error) }));
      }
      return { width: forMatch.width, height: forMatch.height };
    },

    /**
     * Finds and straightens the document and starts reading it: answers the straightened document
     * (for the ID step's portrait search) while the MRZ is still being read (`documentRead`).
     */
    async setIdDocument(bytes: Uint8Array, options: { wholeImage: boolean }): Promise<{ straightened: Uint8Array<ArrayBuffer> | null }> {
      document = null;
      const { reading, straightened } = await deps.documents.read(bytes, options);
      const read = reading.then((found) => {
        // A reading that comes back after a reset or a newer capture is not this visit's document.
        if (documentRead === read) {
          document = found;
          deps.logger.log('info', 'document.read', { found: found.found, kind: found.kind, mrz: found.mrz, expiry: found.expiry });
        }
        return found;
      });
      // Whoever awaits it hears its failure; unawaited (a reset), it is dropped.
      void read.catch(() => undefined);
      documentRead = read;
      return { straightened };
    },

    /** The document's reading once its OCR is done; the ID step is told its kind and state, never who it names. */
    async documentRead(): Promise<DocumentCheck> {
      if (!documentRead) throw new KioskError('invalid_request', 'No document was captured for this visit.');
      return checkOf(await documentRead);
    },

    /** Staff read the expiry on a document without an MRZ; a date an MRZ confirmed is never overwritten. */
    async setDocumentExpiry(expiryDate: string): Promise<DocumentCheck> {
      await documentRead?.catch(() => undefined);
      if (!document) throw new KioskError('invalid_request', 'No document was read for this visit.');
      if (document.mrz !== 'none') throw new KioskError('invalid_request', "This document's expiry was read from its MRZ or barcode.");
      document = { ...document, fields: { ...document.fields, expiryDate }, expiry: expiryStatus(expiryDate, new Date(now())), expiryEnteredByStaff: true };
      return checkOf(document);
    },

    findDocument: (bytes: Uint8Array) => deps.documents.find(bytes),

    async setLivePhoto({
      image,
      interpupillaryPx,
      blink,
    }: {
      image: Uint8Array | RawFrame;
      interpupillaryPx?: number | undefined;
      blink?: BlinkEvidence | undefined;
    }) {
      const { forLiveness, forMatch } = await (deps.normalizeLive ?? normalizeLiveCapture)(image, { interpupillaryPx }).finally(() =>
        ('rgba' in image ? image.rgba : image).fill(0),
      );
      wipe(livePhoto);
      livePhoto = { forLiveness, forMatch, blink };
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
      const images = wipe(idPhoto) + wipe(livePhoto);
      idPhoto = null;
      livePhoto = null;
      review = null;
      document = null;
      documentRead = null;
      if (checked) {
        checked = false;
        await deps
          .forgetAnalyses?.()
          .catch((error: unknown) => deps.logger.log('warn', 'engine.forget_failed', { reason: error instanceof Error ? error.message : String(error) }));
      }
      return { images };
    },

    /** Why the visit waits for staff, without its images; null when nothing waits (or its images are gone). */
    reviewWaiting(): ReviewCause | null {
      return review && idPhoto && livePhoto ? review : null;
    },

    /**
     * The visit waiting for staff, with both images for the staff view; null when none. The images
     * are views of the held bytes, not copies: IPC copies them to the staff view, and main keeps no
     * second copy that reset() would not zero.
     */
    pendingReview(): PendingReview | null {
      if (!review || !idPhoto || !livePhoto) return null;
      const { since, ...cause } = review;
      // Plain Uint8Arrays over the same memory (the contract takes a Uint8Array, not a Buffer).
      const view = (bytes: Uint8Array) => new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength);
      return {
        ...cause,
        since: new Date(since).toISOString(),
        idPhoto: view(idPhoto.forMatch.bytes),
        livePhoto: view(livePhoto.forMatch.bytes),
        document,
      };
    },
  };

  async function runOnce(attempt: number, signal: AbortSignal): Promise<VerificationOutcome> {
    // The document's rules judge this check: a reading still under way is waited for.
    await documentRead?.catch(() => undefined);
    if (!idPhoto || !livePhoto?.forLiveness) {
      throw new KioskError('invalid_request', 'Both the ID photo and the live photo are needed first.');
    }
    const started = now();
    const { forLiveness, forMatch: live, blink } = livePhoto;
    const { forMatch: id } = idPhoto;
    const idKey = documentKey(document) ?? idPhoto.key;
    const debug = deps.debug();
    let liveness: VerificationOutcome['liveness'] | null = null;
    let match: VerificationOutcome['match'] | null = null;
    const audit = (decision: NewAuditRecord['decision'], rejectionCode: string | null) => {
      const checkId = deps.audit({
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
        blink: blinkRecord(blink),
        documentKind: document?.kind ?? null,
        documentState: document?.issuingState ?? null,
        documentExpiry: document ? document.expiry : null,
        documentMrz: document ? document.mrz : null,
      });
      if (review) review.checkId = checkId;
    };
    review = null;
    const { reviewMarginPercent, sayNotVerified, blinkCheck, documentRules, backend, checksAtOnce: stationAtOnce } = deps.judging();
    // The built-in engine always answers both at once; a hosted service only where the station
    // chose to (a failed liveness then still costs a match call).
    const checksAtOnce = backend.kind === 'local' || stationAtOnce;
    checked = true;
    const needsStaff = (why: ReviewCause['why'], errorCode: string | null = null) => {
      review = { why, errorCode, attempt, since: now(), livenessScore: liveness?.score ?? null, matchScore: match?.score ?? null };
    };
    try {
      deps.limits.check(idKey);
      deps.onProgress({ attempt, stage: 'preparing' });
      const client = await deps.client();
      deps.onProgress({ attempt, stage: 'liveness' });
      if (checksAtOnce) {
        // The screen moves on to the match once liveness has answered and the match still counts.
        const both = await bothAtOnce(client, { forLiveness: forLiveness.bytes, id, live, debug, signal }, (answer) => {
          if (matchNeeded(answer, reviewMarginPercent)) deps.onProgress({ attempt, stage: 'match' });
        });
        liveness = both.liveness;
        match = both.match;
        if (!both.match && matchNeeded(liveness, reviewMarginPercent)) throw both.matchError;
      } else {
        liveness = await client.liveness(forLiveness.bytes, { debug, signal });
        if (matchNeeded(liveness, reviewMarginPercent)) {
          deps.onProgress({ attempt, stage: 'match' });
          match = await client.match(id, live, { debug, signal });
        }
      }
    } catch (error) {
      if (signal.aborted) {
        audit('cancelled', null);
        throw new KioskError('cancelled', 'The visit was reset while it was being checked.');
      }
      const code = error instanceof KioskError ? (error.service?.code ?? error.code) : 'protocol_error';
      audit('error', code);
      // A refused capture the visitor can retake is not for staff until it was the last try.
      const retakable = error instanceof KioskError && error.code === 'face_rejected' && attempt < MAX_ATTEMPTS;
      if (!retakable) needsStaff('error', code);
      throw error;
    }
    // A match answered beside a liveness that did not need it is kept in the audit row, not judged.
    const judged = match && matchNeeded(liveness, reviewMarginPercent) ? match : undefined;
    const { decision, reason } = withDocument(withBlink(judge(liveness, judged, reviewMarginPercent), blink, blinkCheck), document, documentRules);
    if (decision === 'review' || (decision === 'not_verified' && attempt >= MAX_ATTEMPTS && !sayNotVerified)) needsStaff(reason);
    const outcome: VerificationOutcome = {
      decision,
      staffReview: review !== null,
      liveness,
      ...(judged ? { match: judged } : {}),
      durationMs: now() - started,
    };
    deps.onProgress({ attempt, stage: 'done' });
    audit(decision, reason === 'clear' ? null : reason);
    if (decision === 'not_verified') await deps.limits.failed(idKey);
    deps.logger.log('info', 'verification.done', { attempt, decision, reason, staffReview: outcome.staffReview, durationMs: outcome.durationMs });
    return outcome;
  }
}
