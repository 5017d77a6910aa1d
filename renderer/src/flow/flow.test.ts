import { describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS, canRetry, initialFlow, reduce, type Flow, type FlowEvent } from './flow';

const run = (events: FlowEvent[], from: Flow = initialFlow) => events.reduce(reduce, from);
const toLive: FlowEvent[] = [{ type: 'started', consent: false }, { type: 'idPhotoTaken' }, { type: 'idConfirmed' }];

describe('verification flow', () => {
  it('goes attract → id → confirm → live → checking → result', () => {
    const flow = run([
      ...toLive,
      { type: 'livePhotoTaken' },
      { type: 'progressed', attempt: 1, stage: 'match' },
      { type: 'decided', attempt: 1, decision: 'verified', staffReview: false },
    ]);
    expect(flow).toEqual({ step: 'result', attempt: 1, decision: 'verified' });
    expect(canRetry(flow)).toBe(false);
  });

  it('ignores events from the wrong step and answers from an earlier attempt', () => {
    expect(run([{ type: 'idConfirmed' }])).toEqual(initialFlow);
    const checking = run([...toLive, { type: 'livePhotoTaken' }]);
    expect(reduce(checking, { type: 'decided', attempt: 2, decision: 'verified', staffReview: false })).toBe(checking);
    // A late answer after a cancel must not bring a result screen back.
    expect(run([{ type: 'cancelled' }, { type: 'decided', attempt: 1, decision: 'verified', staffReview: false }], checking)).toEqual(initialFlow);
  });

  it('allows three live attempts; main holding the last for review sends the visitor to staff', () => {
    let flow = run(toLive);
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
      expect(flow).toEqual({ step: 'live', attempt });
      flow = run([{ type: 'livePhotoTaken' }, { type: 'decided', attempt, decision: 'not_verified', staffReview: false }, { type: 'retried' }], flow);
    }
    const last = run([{ type: 'livePhotoTaken' }], flow);
    expect(reduce(last, { type: 'decided', attempt: MAX_ATTEMPTS, decision: 'not_verified', staffReview: true })).toEqual({ step: 'askStaff', review: true });
    // A station set to say so shows "Not verified", with no retry.
    const final = reduce(last, { type: 'decided', attempt: MAX_ATTEMPTS, decision: 'not_verified', staffReview: false });
    expect(final).toEqual({ step: 'result', attempt: MAX_ATTEMPTS, decision: 'not_verified' });
    expect(canRetry(final)).toBe(false);
  });

  it('sends a borderline score to staff, never to a verdict', () => {
    const checking = run([...toLive, { type: 'livePhotoTaken' }]);
    expect(reduce(checking, { type: 'decided', attempt: 1, decision: 'review', staffReview: true })).toEqual({ step: 'askStaff', review: true });
  });

  it('lets staff open their view over a finished visit, and closing or idling there ends it', () => {
    const waiting: Flow = { step: 'askStaff', review: true };
    const staff = reduce(waiting, { type: 'staffOpened' });
    expect(staff).toEqual({ step: 'staff', duringVisit: true });
    expect(reduce(staff, { type: 'idle' })).toEqual(initialFlow);
    expect(reduce(staff, { type: 'staffClosed' })).toEqual(initialFlow);
    // Not in the middle of a capture or a check.
    const live = run(toLive);
    expect(reduce(live, { type: 'staffOpened' })).toBe(live);
  });

  it('lets the visitor retry a rejected image or an unreachable service, not a refused password', () => {
    const checking = run([...toLive, { type: 'livePhotoTaken' }]);
    const invalid = reduce(checking, { type: 'failed', attempt: 1, error: { code: 'image_invalid', message: 'x', retriable: false } });
    expect(canRetry(invalid)).toBe(true);
    expect(reduce(invalid, { type: 'retried' })).toEqual({ step: 'live', attempt: 2 });
    const down = reduce(checking, { type: 'failed', attempt: 1, error: { code: 'network_unreachable', message: 'x', retriable: true } });
    expect(canRetry(down)).toBe(true);
    const refused = reduce(checking, { type: 'failed', attempt: 1, error: { code: 'credentials_rejected', message: 'x', retriable: false } });
    expect(canRetry(refused)).toBe(false);
    expect(reduce(refused, { type: 'retried' })).toBe(refused);
  });

  it('sends a capture the service refused for its face back to the camera with the reason, not to a verdict', () => {
    const rejected = {
      type: 'failed',
      attempt: 1,
      error: { code: 'face_rejected', message: 'x', retriable: false, service: { code: 'FACE_TOO_SMALL', message: 'm' } },
    } as const;
    expect(run([...toLive, { type: 'livePhotoTaken' }, rejected])).toEqual({ step: 'live', attempt: 2, retake: 'FACE_TOO_SMALL' });
    const last = { step: 'checking', attempt: MAX_ATTEMPTS, stage: 'liveness' } as const;
    expect(reduce(last, { ...rejected, attempt: MAX_ATTEMPTS })).toEqual({ step: 'askStaff', review: true });
  });

  it('offers no retry after the last attempt', () => {
    expect(canRetry({ step: 'result', attempt: MAX_ATTEMPTS - 1, decision: 'not_verified' })).toBe(true);
    expect(canRetry({ step: 'result', attempt: MAX_ATTEMPTS, decision: 'not_verified' })).toBe(false);
  });

  it('returns to the attract screen on idle from anywhere but staff settings', () => {
    for (const flow of [run(toLive), run([{ type: 'started', consent: false }]), run([...toLive, { type: 'livePhotoTaken' }])]) {
      expect(reduce(flow, { type: 'idle' })).toEqual(initialFlow);
    }
    expect(reduce({ step: 'staff', duringVisit: false }, { type: 'idle' })).toEqual({ step: 'staff', duringVisit: false });
  });

  it('asks for consent before the ID when the station requires it, and a refusal goes to staff', () => {
    expect(run([{ type: 'started', consent: true }])).toEqual({ step: 'consent' });
    expect(run([{ type: 'started', consent: true }, { type: 'idPhotoTaken' }])).toEqual({ step: 'consent' });
    expect(run([{ type: 'started', consent: true }, { type: 'consentGiven' }])).toEqual({ step: 'id' });
    expect(run([{ type: 'started', consent: true }, { type: 'consentDeclined' }])).toEqual({ step: 'byHand' });
    expect(run([{ type: 'started', consent: false }])).toEqual({ step: 'id' });
  });

  it('ends a visit the same way whatever ended it: idle, Cancel or Finish', () => {
    const result = run([...toLive, { type: 'livePhotoTaken' }, { type: 'decided', attempt: 1, decision: 'verified', staffReview: false }]);
    for (const type of ['idle', 'cancelled', 'finished'] as const) expect(reduce(result, { type })).toEqual(initialFlow);
  });

  it('shows a camera problem with a way back to the step it interrupted', () => {
    const live = run(toLive);
    const problem = reduce(live, { type: 'cameraFailed', problem: 'unplugged' });
    expect(problem).toEqual({ step: 'cameraProblem', problem: 'unplugged', during: 'live', attempt: 1 });
    expect(reduce(problem, { type: 'cameraRetried' })).toEqual({ step: 'live', attempt: 1 });
  });
});
