import { useCallback, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_ATTEMPTS } from '../flow/flow';
import { useSettings } from '../flow/settingsStore';
import { useVerification } from '../flow/store';
import { grabFrame } from '../services/camera';
import { useCamera } from '../guidance/useCamera';
import { useGuidance } from '../guidance/useGuidance';

export function LiveStep({ attempt }: { attempt: number }) {
  const { t } = useTranslation();
  const choice = useSettings((s) => s.settings?.cameras.live);
  const spoken = useSettings((s) => s.spoken);
  const videoRef = useCamera(choice);
  const livePhotoCaptured = useVerification((s) => s.livePhotoCaptured);
  const resetAll = useVerification((s) => s.resetAll);
  const captured = useRef(false);

  const capture = useCallback(() => {
    const video = videoRef.current;
    if (!video || captured.current) return;
    captured.current = true;
    void grabFrame(video, undefined, 'image/png').then(livePhotoCaptured);
  }, [videoRef, livePhotoCaptured]);
  const guidance = useGuidance(videoRef, capture);
  const text = guidance.instruction ? t(`live.instructions.${guidance.instruction}`) : t('live.title');

  useEffect(() => {
    if (!spoken || !guidance.instruction || typeof speechSynthesis === 'undefined') return;
    speechSynthesis.cancel();
    speechSynthesis.speak(new SpeechSynthesisUtterance(text));
  }, [spoken, guidance.instruction, text]);

  const good = guidance.instruction === 'good';
  return (
    <main className="screen live" data-screen="live" data-instruction={guidance.instruction ?? ''} data-fps={guidance.fps} data-ipd={guidance.ipd}>
      <p className="attempt">{t('live.attempt', { attempt, max: MAX_ATTEMPTS })}</p>
      <div className={`viewport mirror ${good ? 'good' : ''}`}>
        <video ref={videoRef} muted playsInline aria-hidden="true" />
        <svg className="oval" viewBox="0 0 100 100" preserveAspectRatio="none" aria-hidden="true">
          <ellipse className="guide" cx="50" cy="50" rx="16" ry="40" />
          <ellipse className="hold" cx="50" cy="50" rx="16" ry="40" pathLength={100} strokeDasharray={`${guidance.progress * 100} 100`} />
        </svg>
      </div>
      <p className="instruction big" role="status" aria-live="assertive">{text}</p>
      {good && <p className="countdown" aria-hidden="true">{t('live.holdCountdown')}</p>}
      <div className="actions">
        {guidance.manualAllowed && <button onClick={capture}>{t('live.manual')}</button>}
        <button className="quiet" onClick={() => void resetAll()}>{t('common.cancel')}</button>
      </div>
    </main>
  );
}
