import { z } from 'zod';
import type { BlinkCheck, BlinkEvidence } from './blink';
import type { DocumentKind, ExpiryStatus } from './document/mrz';

/** A visitor gets this many checks per visit; after the last unsuccessful one, staff take over. */
export const MAX_ATTEMPTS = 3;

/**
 * Where each score passes. Match: the API document's "PASS ≥ 48". Liveness: the document gives
 * no number; its examples straddle 0.5 (0.4755 fails, 0.8755 passes) and the built-in engine's
 * default operating point is 0.5. The service's own `pass` flag stays the authority on which
 * side a score falls: these points only say how close to the line it was.
 */
export const PASS_POINTS = { liveness: 0.5, match: 48 } as const;
/** The scale each score is on, so one staff setting (a percentage) sets both bands. */
const SCALES = { liveness: 1, match: 100 } as const;

/** Why a check ended as it did, for staff and the audit log; the visitor never sees it. */
export const VerdictReasonSchema = z.enum([
  'clear',
  'borderline_liveness',
  'borderline_match',
  'not_live',
  'no_match',
  'no_blink',
  'document_expired',
  'document_unverified',
  'document_unread',
  'document_not_accepted',
]);
export type VerdictReason = z.infer<typeof VerdictReasonSchema>;
export type Verdict = { decision: 'verified' | 'review' | 'not_verified'; reason: VerdictReason };

interface Scored {
  score: number;
  pass: boolean;
}

/** A score within the staff-set band around its pass point: too close to call without a person. */
export const isBorderline = (kind: keyof typeof PASS_POINTS, score: number, marginPercent: number): boolean =>
  Math.abs(score - PASS_POINTS[kind]) < (marginPercent / 100) * SCALES[kind];

/** Match is asked for on a liveness pass, and on a borderline liveness fail so staff see both scores. */
export const matchNeeded = (liveness: Scored, marginPercent: number): boolean => liveness.pass || isBorderline('liveness', liveness.score, marginPercent);

/**
 * The three outcomes: verified only when both scores pass clearly; a person decides when either
 * is near its line; otherwise not verified (which the kiosk turns into "see staff" unless the
 * station is set to say so, see session.ts).
 */
export function judge(liveness: Scored, match: Scored | undefined, marginPercent: number): Verdict {
  if (isBorderline('liveness', liveness.score, marginPercent)) return { decision: 'review', reason: 'borderline_liveness' };
  if (!liveness.pass || !match) return { decision: 'not_verified', reason: 'not_live' };
  if (isBorderline('match', match.score, marginPercent)) return { decision: 'review', reason: 'borderline_match' };
  return match.pass ? { decision: 'verified', reason: 'clear' } : { decision: 'not_verified', reason: 'no_match' };
}

/**
 * The kiosk's second signal over the service's verdict: a capture whose face did not blink is
 * never "Verified" and never a public "Not verified" on its account; it goes to staff with the
 * reason (a flat print or screen, or a visitor who did not follow the prompt: a person decides).
 * A verdict that is already not verified stays so; the check off leaves every verdict as it was.
 */
export function withBlink(verdict: Verdict, blink: BlinkEvidence | undefined, check: BlinkCheck): Verdict {
  if (check === 'off' || blink?.seen || verdict.decision === 'not_verified') return verdict;
  return { decision: 'review', reason: 'no_blink' };
}

/** The station's rules for the ID document (settings `documentRules`). */
export type DocumentRules = { requireMrz: boolean; acceptedKinds: readonly DocumentKind[] };
/** What main knows of the visit's document when it judges: null when only a portrait was given. */
export type DocumentFacts = { kind: DocumentKind | null; mrz: 'verified' | 'failed' | 'barcode' | 'none'; expiry: ExpiryStatus } | null;

/**
 * The station's document rules over the verdict, as `withBlink`: an expired document, data whose
 * check digits fail, no readable MRZ where the station requires one, or a kind it does not accept
 * is never "Verified"; a person decides, with the reason. With no document read (a portrait
 * imported alone) only `requireMrz` applies.
 */
export function withDocument(verdict: Verdict, document: DocumentFacts, rules: DocumentRules): Verdict {
  if (verdict.decision !== 'verified') return verdict;
  const review = (reason: VerdictReason): Verdict => ({ decision: 'review', reason });
  if (document?.expiry === 'expired') return review('document_expired');
  if (document?.mrz === 'failed') return review('document_unverified');
  if (rules.requireMrz && document?.mrz !== 'verified') return review('document_unread');
  if (document?.kind && !rules.acceptedKinds.includes(document.kind)) return review('document_not_accepted');
  return verdict;
}

/** The audit log's word for the blink watch (app/contract.ts AuditEntrySchema). */
export const blinkRecord = (blink: BlinkEvidence | undefined) => (!blink ? null : !blink.seen ? 'none' : blink.prompted ? 'prompted' : 'seen');

/** What staff can answer a review with: a short list per decision, stored in the audit log. */
export const REVIEW_REASONS = {
  approve: ['same_person', 'id_checked_by_hand', 'known_visitor'],
  deny: ['different_person', 'id_doubtful', 'visitor_left'],
} as const;
export const ReviewReasonSchema = z.enum([...REVIEW_REASONS.approve, ...REVIEW_REASONS.deny]);
export type ReviewReason = z.infer<typeof ReviewReasonSchema>;
