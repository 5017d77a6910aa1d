import { useEffect, useRef } from 'react';
import { STAFF_ACTIVITY_REPORT_MS } from '../../../app/settings';

const TOUCHES = ['pointerdown', 'keydown', 'wheel', 'input'] as const;

/**
 * Staff who walk away leave nothing open to the next visitor: `onIdle` runs after `idleSeconds`
 * without a touch, and when main's unlock window ends (`until`). Touches are reported to main
 * (`stillHere`) at most every STAFF_ACTIVITY_REPORT_MS, so main's own idle limit, a little longer
 * than this one, stays open while staff work and closes if the view failed to.
 */
export function useStaffIdle(options: { idleSeconds: number; until: string | null; onIdle: () => void; stillHere: () => void }) {
  const latest = useRef(options);
  useEffect(() => {
    latest.current = options;
  });
  const { idleSeconds, until } = options;
  useEffect(() => {
    let idle = 0;
    let reported = Date.now();
    const arm = () => {
      window.clearTimeout(idle);
      idle = window.setTimeout(() => latest.current.onIdle(), idleSeconds * 1000);
    };
    const touched = () => {
      arm();
      if (Date.now() - reported >= STAFF_ACTIVITY_REPORT_MS) {
        reported = Date.now();
        latest.current.stillHere();
      }
    };
    arm();
    const ends = until === null ? 0 : window.setTimeout(() => latest.current.onIdle(), Math.max(0, Date.parse(until) - Date.now()));
    for (const name of TOUCHES) document.addEventListener(name, touched, { capture: true, passive: true });
    return () => {
      window.clearTimeout(idle);
      window.clearTimeout(ends);
      for (const name of TOUCHES) document.removeEventListener(name, touched, { capture: true });
    };
  }, [idleSeconds, until]);
}
