import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskErrorData } from '../../../app/errors';
import { canRetry, type Flow } from '../flow/flow';
import { useSettings } from '../flow/settingsStore';
import { useVerification } from '../flow/verificationStore';
import { errorWords } from '../i18n/errorWords';

/** How long a result stays up before the kiosk wipes it and returns to the start. */
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

export function Result({ flow }: { flow: Extract<Flow, { step: 'result' | 'failed' }> }) {
  const { t } = useTranslation();
  const outcome = useVerification((s) => s.outcome);
  // Scores are for staff only: shown while the staff PIN session is open, never to a visitor alone.
  const staffOpen = useSettings((s) => (s.settings?.staffUnlockedUntil ? Date.parse(s.settings.staffUnlockedUntil) > Date.now() : false));
  const retried = useVerification((s) => s.retried);
  const visitEnded = useVerification((s) => s.visitEnded);
  useEffect(() => {
    const timer = setTimeout(() => void visitEnded('finish'), RESULT_SECONDS * 1000);
    return () => clearTimeout(timer);
  }, [visitEnded]);

  const verified = flow.step === 'result' && flow.decision === 'verified';
  const title =
    flow.step === 'failed'
      ? flow.error.code === 'face_rejected'
        ? t('result.notVerified')
        : t('result.couldNotCheck')
      : verified
        ? t('result.verified')
        : t('result.notVerified');
  // A refused liveness check gets its own advice: a real visitor refused there can usually pass
  // by standing alone in front of the camera.
  const notLive = outcome?.liveness.pass === false;
  const detail =
    flow.step === 'failed'
      ? adviceFor(flow.error, t)
      : verified
        ? t('result.verifiedDetail')
        : notLive
          ? t('result.notLiveDetail')
          : t('result.notVerifiedDetail');
  const tone = verified ? 'ok' : flow.step === 'failed' && flow.error.code !== 'face_rejected' ? 'warn' : 'bad';
  return (
    <main
      className={`screen result ${tone}`}
      data-screen="result"
      data-outcome={flow.step === 'failed' ? `error:${flow.error.code}` : flow.decision}
      data-reason={flow.step === 'failed' ? (flow.error.service?.code ?? flow.error.code) : verified ? undefined : notLive ? 'not_live' : 'no_match'}
    >
      <div role="status" aria-live="assertive">
        <h1>{title}</h1>
      </div>
      <p className="lead">{detail}</p>
      {staffOpen && outcome && flow.step === 'result' && (
        <p className="staff-only">
          {t('result.scores', { liveness: outcome.liveness.score.toFixed(3), match: outcome.match ? outcome.match.score.toFixed(1) : '—' })}
        </p>
      )}
      <div className="actions">
        {canRetry(flow) && (
          <button className="primary" onClick={retried}>
            {t('result.tryAgain')}
          </button>
        )}
        <button onClick={() => void visitEnded('finish')}>{t('result.finish')}</button>
      </div>
    </main>
  );
}

export function AskStaff() {
  const { t } = useTranslation();
  const visitEnded = useVerification((s) => s.visitEnded);
  return (
    <main className="screen result warn" data-screen="askStaff">
      <div role="status">
        <h1>{t('askStaff.title')}</h1>
      </div>
      <p className="lead">{t('askStaff.detail')}</p>
      <button onClick={() => void visitEnded('finish')}>{t('result.finish')}</button>
    </main>
  );
}

export function CameraProblemScreen({ problem }: { problem: string }) {
  const { t } = useTranslation();
  const cameraRetried = useVerification((s) => s.cameraRetried);
  const visitEnded = useVerification((s) => s.visitEnded);
  return (
    <main className="screen result warn" data-screen="cameraProblem" data-problem={problem}>
      <div role="alert">
        <h1>{t(`camera.${problem}`)}</h1>
      </div>
      <div className="actions">
        <button className="primary" onClick={cameraRetried}>
          {t('camera.retry')}
        </button>
        <button onClick={() => void visitEnded('cancel')}>{t('common.cancel')}</button>
      </div>
    </main>
  );
}
