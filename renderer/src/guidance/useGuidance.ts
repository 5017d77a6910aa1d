import { useEffect, useRef, useState, type RefObject } from 'react';
import { blinkAtCapture, blinkWaitStep, observeBlink, startBlinkWait, startBlinkWatch, type BlinkEvidence, type BlinkWait } from '../../../app/blink';
import type { FaceMetrics } from '../../../app/faceRules';
import { advanceHold, captureRefusal, judgeFrame, settleInstruction, startHold, type Instruction, type ShownInstruction } from '../../../app/guidance';
import { GUIDANCE_SIDE, createFrameDetector, detectFaces, detectorBackend } from '../services/detector';
import { frameToCanvas, grabFrame, wipeFrame, type CameraFrame } from './cameraFrame';
import { frameFaceStats, movement } from './frameStats';
import { useSettings } from '../flow/settingsStore';

export interface GuidanceState {
  /** The instruction on screen (settled: it changes only once a new one has held). */
  instruction: Instruction | null;
  /** The instruction on screen is advice (a soft rule): the photo will be taken anyway. */
  advising: boolean;
  /** 0..1 of the capture window before auto-capture. */
  progress: number;
  manualAllowed: boolean;
  /** Frames analysed per second over the last second (shown to staff, read by the benchmark). */
  fps: number;
  /** Interpupillary distance in capture pixels of the main face, for diagnostics. */
  ipd: number;
  /** The detector's backend (detector.ts detectorBackend), read by the benchmark. */
  backend: string;
  /** How frames are read (cameraFrame.ts): the camera's own planes (I420, NV12…) or RGBA drawn by a canvas. */
  pixels: string;
  /** How often the full-size re-check refused a chosen frame and the last reason (`FACE_TOO_SMALL:2`, a service code, `eyes` or `height`), for diagnostics and the visits bench. */
  refused: string;
  /** Every frame's own judgment so far, counted (`good:40 moveCloser:12`): what held the capture back, for the visits bench. */
  judged: string;
  /** The face in view has blinked (app/blink.ts): a manual capture says so to main. */
  blinkSeen: boolean;
  /** The photo is chosen and the kiosk waits for a blink: asking for it (`prompt`) or only watching (`passive`). */
  blinkWait: 'prompt' | 'passive' | null;
}

/**
 * Runs the detector on every camera frame, turns the measurements into one instruction with the
 * shared rules (app/guidance.ts), keeps the sharpest compliant frame of the capture window, and
 * hands it to `onCapture` once the window is full and the face has blinked (or the station's
 * blink check has waited long enough: app/blink.ts).
 */
export function useGuidance(
  videoRef: RefObject<HTMLVideoElement | null>,
  onCapture: (frame: HTMLCanvasElement, face: FaceMetrics, blink: BlinkEvidence) => void,
): GuidanceState {
  const [state, setState] = useState<GuidanceState>({
    instruction: null,
    advising: false,
    progress: 0,
    manualAllowed: false,
    fps: 0,
    ipd: 0,
    backend: '',
    pixels: '',
    refused: '',
    judged: '',
    blinkSeen: false,
    blinkWait: null,
  });
  const captureRef = useRef(onCapture);
  const seated = useSettings((s) => s.settings?.seatedVisitors ?? false);
  const seatedRef = useRef(seated);
  const blinkCheck = useSettings((s) => s.settings?.blinkCheck ?? 'prompt');
  const blinkCheckRef = useRef(blinkCheck);
  useEffect(() => {
    captureRef.current = onCapture;
    seatedRef.current = seated;
    blinkCheckRef.current = blinkCheck;
  });

  useEffect(() => {
    let stopped = false;
    let hold = startHold(performance.now());
    let shown: ShownInstruction = { shown: null, candidate: null, candidateSince: 0 };
    /** Whether the instruction on screen blocks the capture, as judged when it was last the answer. */
    let shownBlocks = true;
    let previous: { face: FaceMetrics | undefined; at: number } = { face: undefined, at: 0 };
    const frameTimes: number[] = [];
    // Each frame is copied out of the video before it is judged, so the frame kept as the best is
    // the one judged (the video moves on during detection). Two buffers, swapped when the frame
    // judged becomes the best: no copy per frame beyond the camera's own planes.
    let frame: CameraFrame | undefined;
    let best: CameraFrame | undefined;
    /** The best frame drawn at full size for the final check and the capture. */
    let chosen: HTMLCanvasElement | undefined;
    let backend = '';
    let refused = '';
    let refusals = 0;
    const judged = new Map<string, number>();
    const detector = createFrameDetector(GUIDANCE_SIDE);
    let blinks = startBlinkWatch();
    /** The photo is chosen (`chosen`, its face measured at full size) and a blink is awaited. */
    let waiting: (BlinkWait & { face: FaceMetrics }) | null = null;

    const tick = async () => {
      const video = videoRef.current;
      if (stopped) return;
      if (!video || video.readyState < 2 || video.videoWidth === 0) {
        setTimeout(() => void tick(), 50);
        return;
      }
      try {
        frame = await grabFrame(video, frame);
        const { width, height, format } = frame;
        const size = { width, height };
        const faces = await detector.detect(frame);
        backend ||= await detectorBackend();
        if (stopped) return;
        const stats = frameFaceStats(frame, faces[0]);
        const now = performance.now();
        const speed = movement(previous.face, faces[0], (now - previous.at) / 1000);
        const latest = judgeFrame({ ...size, faces, ...stats, movement: speed }, shown.shown, { seated: seatedRef.current });
        previous = { face: faces[0], at: now };
        const eyes = observeBlink(blinks, faces[0], now);
        blinks = eyes.watch;
        if (waiting) {
          const next = blinkWaitStep(waiting, eyes, now);
          if (next.kind === 'restart') {
            // The captured face left or another took its place: its photo is not this face's.
            waiting = null;
            chosen!.width = 0;
            hold = startHold(hold.startedAt);
          } else if (next.kind === 'send') {
            stopped = true;
            captureRef.current(chosen!, waiting.face, next.evidence);
            return;
          } else {
            setState((s) => ({
              ...s,
              instruction: waiting!.prompted ? 'blink' : s.instruction,
              advising: false,
              progress: 1,
              blinkWait: waiting!.prompted ? 'prompt' : 'passive',
            }));
            requestAnimationFrame(() => void tick());
            return;
          }
        }
        shown = settleInstruction(shown, latest.instruction, now);
        if (shown.shown === latest.instruction) shownBlocks = latest.blocking;
        const advised = !latest.blocking && latest.instruction !== 'good';
        const kind = latest.blocking || latest.instruction === 'good' ? latest.instruction : `${latest.instruction}(advice)`;
        judged.set(kind, (judged.get(kind) ?? 0) + 1);
        // A frame with the eyes shut mid-blink still counts for the hold (a blink is no reason to
        // start it again) but is never the one kept: any open-eyed frame is sharper than it.
        const step = advanceHold(hold, { compliant: !latest.blocking, advised, sharpness: eyes.closed ? -1 : stats.sharpness }, now);
        hold = step.state;
        if (step.isBest) [best, frame] = [frame, best];
        frameTimes.push(now);
        // The last second's frames, and at least the last two: a slow backend still reads its rate.
        while (frameTimes.length > 2 && now - frameTimes[0]! > 1000) frameTimes.shift();
        setState({
          instruction: shown.shown,
          advising: !shownBlocks && shown.shown !== 'good',
          progress: step.progress,
          manualAllowed: step.manualAllowed,
          // Frame intervals over the last second, to a tenth: a count of frames would read 12 for 11.5 and 12.4 alike.
          fps: frameTimes.length > 1 ? Math.round(((frameTimes.length - 1) * 10_000) / (now - frameTimes[0]!)) / 10 : 0,
          ipd: Math.round(faces[0]?.interpupillaryPx ?? 0),
          backend,
          pixels: format,
          refused: refusals ? `${refused}:${refusals}` : '',
          judged: [...judged].map(([k, n]) => `${k}:${n}`).join(' '),
          blinkSeen: blinks.seenAt !== null,
          blinkWait: null,
        });
        if (step.capture) {
          // The service measures the frame at full size: the chosen copy is checked the same way
          // first, as main will scale it (pupils to 90 px), so what guidance sends is what the
          // service accepts, eyes open; if not, the window restarts.
          chosen = frameToCanvas(best!);
          const [face] = await detectFaces(chosen, size.width, size.height);
          if (stopped) return;
          const refusal = captureRefusal(size, face);
          if (face && !refusal) {
            // No blink yet: ask for one (or, `passive`, watch a little longer) before the photo goes.
            const wait = startBlinkWait(blinkCheckRef.current, blinks, performance.now());
            if (!wait) {
              stopped = true;
              captureRef.current(chosen, face, blinkAtCapture(blinks));
              return;
            }
            waiting = { ...wait, face };
            requestAnimationFrame(() => void tick());
            return;
          }
          chosen.width = 0;
          refusals += 1;
          refused = refusal?.reason ?? '';
          hold = startHold(hold.startedAt);
          if (refusal?.instruction) {
            shown = { shown: refusal.instruction, candidate: refusal.instruction, candidateSince: performance.now() };
            shownBlocks = true;
          }
        }
      } catch (error) {
        console.error('guidance frame failed', error);
      }
      requestAnimationFrame(() => void tick());
    };
    void tick();
    return () => {
      stopped = true;
      // The copies are biometric images: zero them when the step ends.
      wipeFrame(best);
      wipeFrame(frame);
      detector.wipe();
      if (chosen) chosen.width = 0;
    };
  }, [videoRef]);

  return state;
}
