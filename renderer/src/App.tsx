import { useEffect } from 'react';
import { assertNever } from '../../app/errors';
import { useSettings } from './flow/settingsStore';
import { listenForProgress, useVerification } from './flow/verificationStore';
import { Attract } from './screens/Attract';
import { ByHand, Consent } from './screens/Consent';
import { IdConfirm, IdStep } from './screens/IdStep';
import { LiveStep } from './screens/LiveStep';
import { AskStaff, CameraProblemScreen, Checking, Result } from './screens/Outcome';
import { NotSetUp } from './screens/NotSetUp';
import { Staff } from './screens/Staff';

/** Any touch, click or key restarts the idle timer; when it runs out the visitor's data is wiped. */
function useIdleReset() {
  // The staff view over a visit idles out like the visit (its images must not wait for ever).
  const step = useVerification((s) => (s.flow.step === 'staff' && s.flow.duringVisit ? 'visitReview' : s.flow.step));
  const seconds = useSettings((s) => s.settings?.idleTimeoutSeconds ?? 60);
  const visitEnded = useVerification((s) => s.visitEnded);
  useEffect(() => {
    if (step === 'attract' || step === 'staff') return;
    let timer = setTimeout(fire, seconds * 1000);
    function fire() {
      void visitEnded('idle');
    }
    const restart = () => {
      clearTimeout(timer);
      timer = setTimeout(fire, seconds * 1000);
    };
    const events = ['pointerdown', 'keydown'] as const;
    events.forEach((e) => window.addEventListener(e, restart));
    return () => {
      clearTimeout(timer);
      events.forEach((e) => window.removeEventListener(e, restart));
    };
  }, [step, seconds, visitEnded]);
}

export function App() {
  const flow = useVerification((s) => s.flow);
  const loaded = useSettings((s) => s.loaded);
  const kioskLanguageRestored = useSettings((s) => s.kioskLanguageRestored);
  useEffect(() => {
    void loaded();
    return listenForProgress();
  }, [loaded]);
  useEffect(() => {
    // Each visitor starts in the kiosk's language, whatever the last one chose.
    if (flow.step === 'attract') kioskLanguageRestored();
  }, [flow.step, kioskLanguageRestored]);
  const provisioned = useSettings((s) => s.settings?.provisioned);
  useIdleReset();

  if (provisioned === false) return <NotSetUp />;
  switch (flow.step) {
    case 'attract':
      return <Attract />;
    case 'consent':
      return <Consent />;
    case 'byHand':
      return <ByHand />;
    case 'id':
      return <IdStep />;
    case 'idConfirm':
      return <IdConfirm />;
    case 'live':
      // Keyed by attempt: a retry mounts a fresh camera and guidance loop.
      return <LiveStep key={flow.attempt} attempt={flow.attempt} retake={flow.retake} />;
    case 'checking':
      return <Checking stage={flow.stage} />;
    case 'result':
    case 'failed':
      return <Result flow={flow} />;
    case 'askStaff':
      return <AskStaff review={flow.review} />;
    case 'cameraProblem':
      return <CameraProblemScreen problem={flow.problem} />;
    case 'staff':
      return <Staff />;
    default:
      return assertNever(flow);
  }
}
