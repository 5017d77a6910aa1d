import { useEffect, useRef, useState, type RefObject } from 'react';
import type { FaceMetrics } from '../../../app/faceRules';
import { advanceHold, nextInstruction, type HoldState, type Instruction } from '../../../app/guidance';
import { detectInVideo } from '../services/detector';
import { faceStats, movement } from './frameStats';

export interface GuidanceState {
  instruction: Instruction | null;
  /** 0..1 of the hold before auto-capture. */
  progress: number;
  manualAllowed: boolean;
  /** Frames analysed per second over the last second (shown to staff, read by the benchmark). */
  fps: number;
  /** Interpupillary distance in capture pixels of the main face, for diagnostics. */
  ipd: number;
}

/**
 * Runs the detector on every camera frame, turns the measurements into one instruction with the
 * shared rules, and calls `onCapture` once every rule has held for the hold time.
 */
export function useGuidance(videoRef: RefObject<HTMLVideoElement | null>, onCapture: () => void): GuidanceState {
  const [state, setState] = useState<GuidanceState>({ instruction: null, progress: 0, manualAllowed: false, fps: 0, ipd: 0 });
  const captureRef = useRef(onCapture);
  captureRef.current = onCapture;

  useEffect(() => {
    let stopped = false;
    let hold: HoldState = { goodSince: null, startedAt: performance.now() };
    let previous: FaceMetrics | undefined;
    const frameTimes: number[] = [];

    const tick = async () => {
      const video = videoRef.current;
      if (stopped) return;
      if (!video || video.readyState < 2 || video.videoWidth === 0) {
        setTimeout(() => void tick(), 50);
        return;
      }
      try {
        const faces = await detectInVideo(video);
        if (stopped) return;
        const size = { width: video.videoWidth, height: video.videoHeight };
        const stats = faceStats(video, size, faces[0]);
        const instruction = nextInstruction({ ...size, faces, ...stats, movement: movement(previous, faces[0]) });
        previous = faces[0];
        const now = performance.now();
        const step = advanceHold(hold, instruction, now);
        hold = step.state;
        frameTimes.push(now);
        while (frameTimes.length && now - frameTimes[0]! > 1000) frameTimes.shift();
        setState({ instruction, progress: step.progress, manualAllowed: step.manualAllowed, fps: frameTimes.length, ipd: Math.round(faces[0]?.interpupillaryPx ?? 0) });
        if (step.capture) {
          stopped = true;
          captureRef.current();
          return;
        }
      } catch (error) {
        console.error('guidance frame failed', error);
      }
      requestAnimationFrame(() => void tick());
    };
    void tick();
    return () => {
      stopped = true;
    };
  }, [videoRef]);

  return state;
}
