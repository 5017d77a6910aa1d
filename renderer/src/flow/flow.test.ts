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
      { type: 'decided', attempt: 1, decision: 'verified' },
    ]);
    expect(flow).toEqual({ step: 'result', attempt: 1, decision: 'verified' });
    expect(canRetry(flow)).toBe(false);
  });

  it('ignores events from the wrong step and answers from an earlier attempt', () => {
    expect(run([{ type: 'idConfirmed' }])).toEqual(initialFlow);
    const checking = run([...toLive, { type: 'livePhotoTaken' }]);
    expect(reduce(checking, { type: 'decided', attempt: 2, decision: 'verified' })).toBe(checking);
    // A late answer after a cancel must not bring a result screen back.
    expect(run([{ type: 'cancelled' }, { type: 'decided', attempt: 1, decision: 'verified' }], checking)).toEqual(initialFlow);
  });

  it('allows three live attempts, then asks for staff', () => {
    let flow = run(toLive);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      expect(flow).toEqual({ step: 'live', attempt });
      flow = run([{ type: 'livePhotoTaken' }, { type: 'decided', attempt, decision: 'not_verified' }, { type: 'retried' }], flow);
    }
    expect(flow).toEqual({ step: 'askStaff' });
  });

  it('lets the visitor retry a rejected image but not a broken backend', () => {
    const checking = run([...toLive, { type: 'livePhotoTaken' }]);
    const invalid = reduce(checking, { type: 'failed', attempt: 1, error: { code: 'image_invalid', message: 'x', retriable: false } });
    expect(canRetry(invalid)).toBe(true);
    expect(reduce(invalid, { type: 'retried' })).toEqual({ step: 'live', attempt: 2 });
    const down = reduce(checking, { type: 'failed', attempt: 1, error: { code: 'network_unreachable', message: 'x', retriable: true } });
    expect(canRetry(down)).toBe(false);
    expect(reduce(down, { type: 'retried' })).toBe(down);
  });

  it('sends a capture the service refused for its face back to the camera with the reason, not to a verdict', () => {
    const rejected = {
      type: 'failed',
      attempt: 1,
      error: { code: 'face_rejected', message: 'x', retriable: false, service: { code: 'FACE_TOO_SMALL', message: 'm' } },
    } as const;
    expect(run([...toLive, { type: 'livePhotoTaken' }, rejected])).toEqual({ step: 'live', attempt: 2, retake: 'FACE_TOO_SMALL' });
    const last = { step: 'checking', attempt: MAX_ATTEMPTS, stage: 'liveness' } as const;
    expect(reduce(last, { ...rejected, attempt: MAX_ATTEMPTS })).toEqual({ step: 'askStaff' });
  });

  it('offers no retry after the last attempt', () => {
    expect(canRetry({ step: 'result', attempt: MAX_ATTEMPTS - 1, decision: 'not_verified' })).toBe(true);
    expect(canRetry({ step: 'result', attempt: MAX_ATTEMPTS, decision: 'not_verified' })).toBe(false);
  });

  it('returns to the attract screen on idle from anywhere but staff settings', () => {
    for (const flow of [run(toLive), run([{ type: 'started', consent: false }]), run([...toLive, { type: 'livePhotoTaken' }])]) {
      expect(reduce(flow, { type: 'idle' })).toEqual(initialFlow);
    }
    expect(reduce({ step: 'staff' }, { type: 'idle' })).toEqual({ step: 'staff' });
  });

  it('asks for consent before the ID when the station requires it, and a refusal goes to staff', () => {
    expect(run([{ type: 'started', consent: true }])).toEqual({ step: 'consent' });
    expect(run([{ type: 'started', consent: true }, { type: 'idPhotoTaken' }])).toEqual({ step: 'consent' });
    expect(run([{ type: 'started', consent: true }, { type: 'consentGiven' }])).toEqual({ step: 'id' });
    expect(run([{ type: 'started', consent: true }, { type: 'consentDeclined' }])).toEqual({ step: 'byHand' });
    expect(run([{ type: 'started', consent: false }])).toEqual({ step: 'id' });
  });

  it('ends a visit the same way whatever ended it: idle, Cancel or Finish', () => {
    const result = run([...toLive, { type: 'livePhotoTaken' }, { type: 'decided', attempt: 1, decision: 'verified' }]);
    for (const type of ['idle', 'cancelled', 'finished'] as const) expect(reduce(result, { type })).toEqual(initialFlow);
  });

  it('shows a camera problem with a way back to the step it interrupted', () => {
    const live = run(toLive);
    const problem = reduce(live, { type: 'cameraFailed', problem: 'unplugged' });
    expect(problem).toEqual({ step: 'cameraProblem', problem: 'unplugged', during: 'live', attempt: 1 });
    expect(reduce(problem, { type: 'cameraRetried' })).toEqual({ step: 'live', attempt: 1 });
  });
});
