import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../i18n/format';
import type { BlinkEvidence } from '../../../app/blink';
import type { FaceMetrics } from '../../../app/faceRules';
import { guideOval } from '../../../app/guidance';
import { MAX_ATTEMPTS } from '../flow/flow';
import { useSettings } from '../flow/settingsStore';
import { useVerification } from '../flow/verificationStore';
import { readPixels } from '../services/camera';
import { useCamera } from '../camera/useCamera';
import { useGuidance } from '../guidance/useGuidance';
import { InstructionIcon } from './InstructionIcon';

/** How long the reason for a retake stays on the status line before live guidance takes it over. */
const RETAKE_NOTICE_MS = 3000;

/** An SVG path for an ellipse, to cut the oval out of the dimmed frame. */
const ellipsePath = ({ cx, cy, rx, ry }: { cx: number; cy: number; rx: number; ry: number }) =>
  `M${cx - rx} ${cy}a${rx} ${ry} 0 1 0 ${2 * rx} 0a${rx} ${ry} 0 1 0 ${-2 * rx} 0Z`;

/** How long an instruction must hold before it is spoken. */
const SPEAK_AFTER_MS = 600;

export function LiveStep({ attempt, retake }: { attempt: number; retake?: string | undefined }) {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  const choice = useSettings((s) => s.settings?.cameras.live);
  const spoken = useSettings((s) => s.spoken);
  const videoRef = useCamera(choice);
  const livePhotoCaptured = useVerification((s) => s.livePhotoCaptured);
  const visitEnded = useVerification((s) => s.visitEnded);
  const captured = useRef(false);

  // Auto-capture sends the sharpest compliant frame of the hold with its face's pupil distance
  // measured at full size; manual capture, the frame now with guidance's latest measure. Main
  // scales either so the pupils are 90 px apart (app/captureGeometry.ts). Each says whether the
  // face blinked (app/blink.ts): main's verdict needs it.
  const capture = useCallback(
    (frame: HTMLCanvasElement | undefined, interpupillaryPx: number, blink: BlinkEvidence) => {
      const source = frame ?? videoRef.current;
      if (!source || captured.current) return;
      captured.current = true;
      void livePhotoCaptured(readPixels(source), interpupillaryPx, blink);
    },
    [videoRef, livePhotoCaptured],
  );
  const guidance = useGuidance(
    videoRef,
    useCallback((frame: HTMLCanvasElement, face: FaceMetrics, blink: BlinkEvidence) => capture(frame, face.interpupillaryPx, blink), [capture]),
  );
  const [notice, setNotice] = useState(retake !== undefined);
  useEffect(() => {
    const timer = setTimeout(() => setNotice(false), RETAKE_NOTICE_MS);
    return () => clearTimeout(timer);
  }, []);
  const retakeText = retake === undefined ? '' : t(`live.retake`, { advice: t([`advice.${retake}`, 'advice.generic']) });
  const text = notice ? retakeText : guidance.instruction ? t(`live.instructions.${guidance.instruction}`) : t('live.title');

  // Spoken only once an instruction has held for SPEAK_AFTER_MS: a prompt that flickers between
  // two states for a few frames is never read out half-way.
  useEffect(() => {
    if (!spoken || !guidance.instruction || typeof speechSynthesis === 'undefined') return;
    const timer = setTimeout(() => {
      speechSynthesis.cancel();
      const utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = i18n.language;
      speechSynthesis.speak(utterance);
    }, SPEAK_AFTER_MS);
    return () => clearTimeout(timer);
  }, [spoken, guidance.instruction, text, i18n.language]);

  // The camera's own shape (portrait, 4:3, 16:9): the whole frame is shown and the oval is drawn
  // in its pixels, where a face at the target distance sits.
  const [frame, setFrame] = useState({ width: 1280, height: 720 });
  const onMetadata = () => {
    const video = videoRef.current;
    if (video?.videoWidth) setFrame({ width: video.videoWidth, height: video.videoHeight });
  };
  const oval = { cx: frame.width / 2, cy: frame.height / 2, ...guideOval(frame) };
  const good = guidance.instruction === 'good';
  return (
    <main
      className="screen live"
      data-screen="live"
      data-retake={retake}
      data-instruction={guidance.instruction ?? ''}
      data-advising={guidance.advising}
      data-refused={guidance.refused}
      data-blink={guidance.blinkWait ?? (guidance.blinkSeen ? 'seen' : '')}
      data-judged={guidance.judged}
      data-fps={guidance.fps}
      data-ipd={guidance.ipd}
      data-backend={guidance.backend}
      data-pixels={guidance.pixels}
    >
      <h1 className="visually-hidden">{t('live.title')}</h1>
      <div
        className={`viewport live-view mirror ${good ? 'good' : ''}`}
        style={{ aspectRatio: `${frame.width} / ${frame.height}`, ['--ratio' as string]: frame.width / frame.height }}
      >
        <video ref={videoRef} muted playsInline aria-hidden="true" onLoadedMetadata={onMetadata} onResize={onMetadata} />
        <svg className="oval" viewBox={`0 0 ${frame.width} ${frame.height}`} aria-hidden="true">
          {/* Everything outside the oval dimmed: the eye goes where the face belongs. */}
          <path className="dim" fillRule="evenodd" d={`M0 0H${frame.width}V${frame.height}H0Z ${ellipsePath(oval)}`} />
          <ellipse className="guide" {...oval} />
          {/* The ring fills during the auto-capture hold. */}
          <ellipse className="hold" {...oval} pathLength={100} strokeDasharray={`${guidance.progress * 100} 100`} />
        </svg>
        <p className="attempt">{t('live.attempt', { attempt: format.number(attempt), max: format.number(MAX_ATTEMPTS) })}</p>
        {/* On the video, in large type with its picture; one line of fixed height, so nothing moves as it changes. */}
        <p className="instruction big" role="status" aria-live="assertive">
          <InstructionIcon instruction={notice ? null : guidance.instruction} />
          <span>{text}</span>
        </p>
        {/* Advice (a soft rule) never blocks: the visitor is told once that the photo is taken anyway. */}
        <p className="advice-note" aria-live="polite">
          {guidance.advising && !notice ? t('live.anyway') : ''}
        </p>
      </div>
      <div className="actions">
        {/* Always laid out, shown when allowed: its arrival must not move Cancel under a finger. */}
        <button
          onClick={() => capture(undefined, guidance.ipd, { seen: guidance.blinkSeen, prompted: false, waitedMs: 0 })}
          style={guidance.manualAllowed ? undefined : { visibility: 'hidden' }}
          aria-hidden={!guidance.manualAllowed}
        >
          {t('live.manual')}
        </button>
        <button className="quiet" onClick={() => void visitEnded('cancel')}>
          {t('common.cancel')}
        </button>
      </div>
    </main>
  );
}
