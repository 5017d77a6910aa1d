import type { Progress } from '../../../app/contract';
import type { KioskErrorData } from '../../../app/errors';
import { assertNever } from '../../../app/errors';
import { MAX_ATTEMPTS } from '../../../app/verdict';

export { MAX_ATTEMPTS };

export type CameraProblem = 'no_camera' | 'permission_denied' | 'in_use' | 'unplugged' | 'too_low' | 'failed';

/** The visitor's journey as a union of steps; each carries only what its screen needs. */
export type Flow =
  | { step: 'attract' }
  /** The consent notice, before any face (the ID's included) is processed. */
  | { step: 'consent' }
  /** The visitor chose a check by hand: staff take over. */
  | { step: 'byHand' }
  | { step: 'id' }
  | { step: 'idConfirm' }
  /** `retake`: the service refused the last capture's face (distance, pose): the visitor is told why and tries again. */
  | { step: 'live'; attempt: number; retake?: string }
  | { step: 'checking'; attempt: number; stage: Progress['stage'] }
  /** `not_verified` before the last attempt offers a retry; after it, only a station set to say so shows it. */
  | { step: 'result'; attempt: number; decision: 'verified' | 'not_verified' }
  | { step: 'failed'; attempt: number; error: KioskErrorData }
  /** The visitor is sent to the desk; `review`: main holds the visit for a member of staff to decide. */
  | { step: 'askStaff'; review: boolean }
  | { step: 'cameraProblem'; problem: CameraProblem; during: 'id' | 'live'; attempt: number }
  /** `duringVisit`: opened from a visit's last screen (to review it); closing or idling ends that visit. */
  | { step: 'staff'; duringVisit: boolean };

export type FlowEvent =
  | { type: 'started'; consent: boolean }
  | { type: 'consentGiven' }
  | { type: 'consentDeclined' }
  | { type: 'idPhotoTaken' }
  | { type: 'idConfirmed' }
  | { type: 'idRetake' }
  | { type: 'livePhotoTaken' }
  | { type: 'progressed'; attempt: number; stage: Progress['stage'] }
  | { type: 'decided'; attempt: number; decision: 'verified' | 'review' | 'not_verified'; staffReview: boolean }
  | { type: 'failed'; attempt: number; error: KioskErrorData }
  | { type: 'retried' }
  | { type: 'cameraFailed'; problem: CameraProblem }
  | { type: 'cameraRetried' }
  | { type: 'cancelled' }
  | { type: 'finished' }
  | { type: 'idle' }
  | { type: 'staffOpened' }
  | { type: 'staffClosed' };

/** Errors the visitor can fix by trying again; the rest need a member of staff, unless a retry can help (`retriable`). */
const VISITOR_FIXABLE = new Set(['face_rejected', 'image_too_small', 'image_invalid']);
const retryHelps = (error: KioskErrorData) => VISITOR_FIXABLE.has(error.code) || error.retriable;
/** The screens a visit ends on, from which staff may open their view to review it. */
const VISIT_END_STEPS = new Set<Flow['step']>(['result', 'failed', 'askStaff', 'byHand']);

export const initialFlow: Flow = { step: 'attract' };

/**
 * The whole flow as a pure function. An event that does not fit the current step is ignored
 * (and reported by the store), so a late answer or a double tap can never move the flow wrongly.
 */
export function reduce(flow: Flow, event: FlowEvent): Flow {
  switch (event.type) {
    case 'idle':
    case 'cancelled':
    case 'finished':
      // An idle timeout never closes the staff screen, except over a visit (its images must go).
      return flow.step === 'staff' && event.type === 'idle' && !flow.duringVisit ? flow : initialFlow;
    case 'staffOpened':
      if (flow.step === 'attract') return { step: 'staff', duringVisit: false };
      return VISIT_END_STEPS.has(flow.step) ? { step: 'staff', duringVisit: true } : flow;
    case 'staffClosed':
      return flow.step === 'staff' ? initialFlow : flow;
    case 'started':
      return flow.step === 'attract' ? { step: event.consent ? 'consent' : 'id' } : flow;
    case 'consentGiven':
      return flow.step === 'consent' ? { step: 'id' } : flow;
    case 'consentDeclined':
      return flow.step === 'consent' ? { step: 'byHand' } : flow;
    case 'idPhotoTaken':
      return flow.step === 'id' ? { step: 'idConfirm' } : flow;
    case 'idRetake':
      return flow.step === 'idConfirm' ? { step: 'id' } : flow;
    case 'idConfirmed':
      return flow.step === 'idConfirm' ? { step: 'live', attempt: 1 } : flow;
    case 'livePhotoTaken':
      return flow.step === 'live' ? { step: 'checking', attempt: flow.attempt, stage: 'preparing' } : flow;
    case 'progressed':
      return flow.step === 'checking' && flow.attempt === event.attempt ? { ...flow, stage: event.stage } : flow;
    case 'decided':
      if (flow.step !== 'checking' || flow.attempt !== event.attempt) return flow;
      if (event.staffReview || event.decision === 'review') return { step: 'askStaff', review: event.staffReview };
      return { step: 'result', attempt: event.attempt, decision: event.decision };
    case 'failed':
      if (flow.step !== 'checking' || flow.attempt !== event.attempt) return flow;
      // A capture the service refused for its face (too far, turned away) is not a verdict: back
      // to the camera with the reason, as long as attempts remain.
      if (event.error.code === 'face_rejected' && event.error.service) {
        return event.attempt >= MAX_ATTEMPTS
          ? { step: 'askStaff', review: true }
          : { step: 'live', attempt: event.attempt + 1, retake: event.error.service.code };
      }
      return { step: 'failed', attempt: event.attempt, error: event.error };
    case 'retried': {
      if (flow.step !== 'result' && flow.step !== 'failed') return flow;
      if (flow.step === 'result' && flow.decision === 'verified') return flow;
      if (flow.step === 'failed' && !retryHelps(flow.error)) return flow;
      return flow.attempt >= MAX_ATTEMPTS ? { step: 'askStaff', review: false } : { step: 'live', attempt: flow.attempt + 1 };
    }
    case 'cameraFailed':
      if (flow.step === 'id' || flow.step === 'live') {
        return { step: 'cameraProblem', problem: event.problem, during: flow.step, attempt: flow.step === 'live' ? flow.attempt : 0 };
      }
      return flow;
    case 'cameraRetried':
      if (flow.step !== 'cameraProblem') return flow;
      return flow.during === 'id' ? { step: 'id' } : { step: 'live', attempt: flow.attempt };
    default:
      return assertNever(event);
  }
}

/** Whether a failed attempt can be retried by the visitor: never after the last one (otherwise: see staff). */
export const canRetry = (flow: Flow): boolean =>
  ((flow.step === 'result' && flow.decision === 'not_verified') || (flow.step === 'failed' && retryHelps(flow.error))) && flow.attempt < MAX_ATTEMPTS;
