import { describe, expect, it } from 'vitest';
import { PASS_POINTS, blinkRecord, isBorderline, judge, matchNeeded, withBlink, withDocument } from './verdict';

const scored = (score: number, passAt: number) => ({ score, pass: score >= passAt });
const live = (score: number) => scored(score, PASS_POINTS.liveness);
const match = (score: number) => scored(score, PASS_POINTS.match);

describe('the three outcomes', () => {
  it('verifies only when both scores pass clear of the band', () => {
    expect(judge(live(0.9), match(70), 5)).toEqual({ decision: 'verified', reason: 'clear' });
    expect(judge(live(0.56), match(54), 5)).toEqual({ decision: 'verified', reason: 'clear' });
  });

  it('sends a score within the band, on either side of its pass point, to staff', () => {
    expect(judge(live(0.54), match(70), 5)).toEqual({ decision: 'review', reason: 'borderline_liveness' });
    expect(judge(live(0.46), match(70), 5)).toEqual({ decision: 'review', reason: 'borderline_liveness' });
    expect(judge(live(0.9), match(52), 5)).toEqual({ decision: 'review', reason: 'borderline_match' });
    expect(judge(live(0.9), match(44), 5)).toEqual({ decision: 'review', reason: 'borderline_match' });
  });

  it('says not live or no match when a score fails clearly', () => {
    expect(judge(live(0.2), undefined, 5)).toEqual({ decision: 'not_verified', reason: 'not_live' });
    expect(judge(live(0.9), match(30), 5)).toEqual({ decision: 'not_verified', reason: 'no_match' });
  });

  it('has no band at 0 %: the pass flags alone decide', () => {
    expect(judge(live(0.5), match(48), 0)).toEqual({ decision: 'verified', reason: 'clear' });
    expect(judge(live(0.49), match(70), 0)).toEqual({ decision: 'not_verified', reason: 'not_live' });
  });

  it("keeps the service's pass flag as the authority outside the band", () => {
    // A service run at a stricter operating point refuses 0.7: not verified, whatever our point says.
    expect(judge({ score: 0.7, pass: false }, undefined, 5)).toEqual({ decision: 'not_verified', reason: 'not_live' });
  });

  it('asks for a match on a liveness pass or a borderline fail, not on a clear fail', () => {
    expect(matchNeeded(live(0.9), 5)).toBe(true);
    expect(matchNeeded(live(0.47), 5)).toBe(true);
    expect(matchNeeded(live(0.3), 5)).toBe(false);
    expect(isBorderline('match', 48 + 4.9, 5)).toBe(true);
    expect(isBorderline('match', 48 + 5, 5)).toBe(false);
  });
});

describe('the blink check over the verdict', () => {
  const verified = judge(live(0.9), match(70), 5);
  const borderline = judge(live(0.9), match(50), 5);
  const notLive = judge(live(0.1), undefined, 5);
  const blinked = { seen: true, prompted: false, waitedMs: 0 };
  const none = { seen: false, prompted: true, waitedMs: 6000 };

  it('never lets a capture without a blink be "Verified": it goes to staff with the reason', () => {
    expect(withBlink(verified, none, 'prompt')).toEqual({ decision: 'review', reason: 'no_blink' });
    expect(withBlink(verified, none, 'passive')).toEqual({ decision: 'review', reason: 'no_blink' });
    // A capture that says nothing of a blink (an older renderer, a manual capture) is treated as none.
    expect(withBlink(verified, undefined, 'prompt')).toEqual({ decision: 'review', reason: 'no_blink' });
    expect(withBlink(borderline, none, 'prompt')).toEqual({ decision: 'review', reason: 'no_blink' });
  });

  it('leaves the service’s verdict alone when the face blinked, when the check is off, and when it is already not verified', () => {
    expect(withBlink(verified, blinked, 'prompt')).toBe(verified);
    expect(withBlink(verified, none, 'off')).toBe(verified);
    expect(withBlink(notLive, none, 'prompt')).toBe(notLive);
  });

  it('records the watch in the audit log’s words', () => {
    expect([blinked, { ...blinked, prompted: true }, none, undefined].map(blinkRecord)).toEqual(['seen', 'prompted', 'none', null]);
  });
});

describe('the station’s document rules over the verdict', () => {
  const verified = { decision: 'verified', reason: 'clear' } as const;
  const rules = { requireMrz: false, acceptedKinds: ['passport', 'identity_card'] } as const;
  const good = { kind: 'passport', mrz: 'verified', expiry: 'valid' } as const;

  it('an expired document, failing check digits, a missing MRZ where required, or a kind not accepted is never Verified', () => {
    expect(withDocument(verified, good, rules)).toEqual(verified);
    expect(withDocument(verified, { ...good, expiry: 'expired' }, rules)).toEqual({ decision: 'review', reason: 'document_expired' });
    expect(withDocument(verified, { ...good, mrz: 'failed', expiry: 'unknown' }, rules)).toEqual({ decision: 'review', reason: 'document_unverified' });
    expect(withDocument(verified, { kind: null, mrz: 'none', expiry: 'unknown' }, rules)).toEqual(verified);
    expect(withDocument(verified, { kind: null, mrz: 'none', expiry: 'unknown' }, { ...rules, requireMrz: true })).toEqual({
      decision: 'review',
      reason: 'document_unread',
    });
    expect(withDocument(verified, null, { ...rules, requireMrz: true })).toEqual({ decision: 'review', reason: 'document_unread' });
    expect(withDocument(verified, { ...good, kind: 'visa' }, rules)).toEqual({ decision: 'review', reason: 'document_not_accepted' });
  });

  it('a licence read by its barcode is judged by its expiry and kind, and is no MRZ where one is required', () => {
    const licence = { kind: 'driving_licence', mrz: 'barcode', expiry: 'valid' } as const;
    const all = { requireMrz: false, acceptedKinds: ['passport', 'driving_licence'] } as const;
    expect(withDocument(verified, licence, all)).toEqual(verified);
    expect(withDocument(verified, { ...licence, expiry: 'expired' }, all)).toEqual({ decision: 'review', reason: 'document_expired' });
    expect(withDocument(verified, licence, { ...all, requireMrz: true })).toEqual({ decision: 'review', reason: 'document_unread' });
    expect(withDocument(verified, licence, rules)).toEqual({ decision: 'review', reason: 'document_not_accepted' });
  });

  it('leaves a verdict that is not Verified as it was', () => {
    const refused = { decision: 'not_verified', reason: 'no_match' } as const;
    expect(withDocument(refused, { ...good, expiry: 'expired' }, rules)).toEqual(refused);
  });
});
