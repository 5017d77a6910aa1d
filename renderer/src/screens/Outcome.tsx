import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskErrorData } from '../../../app/errors';
import { canRetry, type Flow } from '../flow/flow';
import { useVerification } from '../flow/verificationStore';
import { errorWords } from '../i18n/errorWords';
import { chime } from '../services/chime';

/** How long a result stays up before the kiosk wipes it and returns to the start (never while it waits for staff). */
const RESULT_SECONDS = 12;

export function Checking({ stage }: { stage: 'preparing' | 'liveness' | 'match' | 'done' }) {
  const { t } = useTranslation();
  return (
    <main className="screen checking" data-screen="checking" aria-busy="true">
      <h1>{t('checking.title')}</h1>
      <p className="instruction" aria-live="polite">
        {t(`checking.stages.${stage}`)}
      </p>
      <div className="spinner" aria-hidden="true" />
    </main>
  );
}

function adviceFor(error: KioskErrorData, t: (key: string) => string): string {
  if (error.code === 'face_rejected') {
    const key = `advice.${error.service?.code ?? ''}`;
    const advice = t(key);
    return advice === key ? t('advice.generic') : advice;
  }
  return errorWords(error.code, t);
}

type Tone = 'ok' | 'warn' | 'bad';
const ICONS: Record<Tone, string> = { ok: '✓', warn: '!', bad: '✕' };

/** The outcome's heading with an icon as well as a colour, announced to screen readers (as an alert for a broken camera). */
function Heading({ tone, title, role = 'status' }: { tone: Tone; title: string; role?: 'status' | 'alert' }) {
  return (
    <div role={role} aria-live="assertive" className="outcome-heading">
      <span className={`outcome-icon ${tone}`} aria-hidden="true">
        {ICONS[tone]}
      </span>
      <h1>{title}</h1>
    </div>
  );
}

/**
 * Staff are called to the desk: a banner they can see across the room and a chime, with the
 * button that opens their view (behind the PIN) where the visit waits for them.
 */
export function StaffAlert({ review }: { review: boolean }) {
  const { t } = useTranslation();
  const staffOpened = useVerification((s) => s.staffOpened);
  useEffect(chime, []);
  return (
    <div className="staff-alert" role="note">
      <p>{t(review ? 'askStaff.reviewWaiting' : 'askStaff.staffCalled')}</p>
      <button onClick={staffOpened}>{t('attract.staff')}</button>
    </div>
  );
}

export function Result({ flow }: { flow: Extract<Flow, { step: 'result' | 'failed' }> }) {
  const { t } = useTranslation();
  const outcome = useVerification((s) => s.outcome);
  const retried = useVerification((s) => s.retried);
  const visitEnded = useVerification((s) => s.visitEnded);
  const retry = canRetry(flow);
  // An error no retry can help sends the visitor to staff, and main holds the visit for their
  // review (main/verification/session.ts): like AskStaff, no timer and no Finish would throw it
  // away; staff end it from their view, or the idle timeout does.
  const waitsForStaff = flow.step === 'failed' && !retry;
  useEffect(() => {
    if (waitsForStaff) return;
    const timer = setTimeout(() => void visitEnded('finish'), RESULT_SECONDS * 1000);
    return () => clearTimeout(timer);
  }, [visitEnded, waitsForStaff]);

  const verified = flow.step === 'result' && flow.decision === 'verified';
  // "Not verified" in public only as the last word of a station set to say it; before the last
  // attempt the visitor is told to try again, and an error with no retry sends them to staff.
  const title =
    flow.step === 'failed'
      ? retry
        ? t(flow.error.code === 'face_rejected' ? 'result.notConfirmed' : 'result.couldNotCheck')
        : t('askStaff.title')
      : verified
        ? t('result.verified')
        : retry
          ? t('result.notConfirmed')
          : t('result.notVerified');
  // The visitor is not told which check refused them (liveness or the match): that would tell an
  // attacker which layer to work on. One piece of advice serves a real visitor refused by either;
  // staff see which in the review and the audit log.
  const notLive = outcome?.liveness.pass === false;
  const detail = flow.step === 'failed' ? adviceFor(flow.error, t) : verified ? t('result.verifiedDetail') : t('result.notVerifiedDetail');
  const tone: Tone = verified ? 'ok' : retry || flow.step === 'failed' ? 'warn' : 'bad';
  return (
    <main
      className={`screen result ${tone}`}
      data-screen="result"
      data-outcome={flow.step === 'failed' ? `error:${flow.error.code}` : flow.decision}
      data-reason={flow.step === 'failed' ? (flow.error.service?.code ?? flow.error.code) : verified ? undefined : notLive ? 'not_live' : 'no_match'}
    >
      <Heading tone={tone} title={title} />
      <p className="lead">{detail}</p>
      {waitsForStaff && <StaffAlert review />}
      <div className="actions">
        {retry && (
          <button className="primary" onClick={retried}>
            {t('result.tryAgain')}
          </button>
        )}
        {!waitsForStaff && <button onClick={() => void visitEnded('finish')}>{t('result.finish')}</button>}
      </div>
    </main>
  );
}

/**
 * The visitor is sent to the desk. With a review waiting there is no Finish: the visit is the
 * staff's to decide (or to time out, which wipes it like any visit).
 */
export function AskStaff({ review }: { review: boolean }) {
  const { t } = useTranslation();
  const visitEnded = useVerification((s) => s.visitEnded);
  return (
    <main className="screen result warn" data-screen="askStaff" data-review={review}>
      <Heading tone="warn" title={t('askStaff.title')} />
      <p className="lead">{t(review ? 'askStaff.reviewDetail' : 'askStaff.detail')}</p>
      <StaffAlert review={review} />
      {!review && <button onClick={() => void visitEnded('finish')}>{t('result.finish')}</button>}
    </main>
  );
}

export function CameraProblemScreen({ problem }: { problem: string }) {
  const { t } = useTranslation();
  const cameraRetried = useVerification((s) => s.cameraRetried);
  const visitEnded = useVerification((s) => s.visitEnded);
  return (
    <main className="screen result warn" data-screen="cameraProblem" data-problem={problem}>
      <Heading tone="warn" title={t(`camera.${problem}`)} role="alert" />
      <div className="actions">
        <button className="primary" onClick={cameraRetried}>
          {t('camera.retry')}
        </button>
        <button onClick={() => void visitEnded('cancel')}>{t('common.cancel')}</button>
      </div>
    </main>
  );
}
