import { describe, expect, it } from 'vitest';
import { distanceRange } from './captureGeometry';
import type { FaceMetrics } from './faceRules';
import {
  GUIDANCE,
  SEATED_PITCH_DEG,
  advanceHold,
  captureRefusal,
  faceLight,
  guideOval,
  judgeFrame,
  nextInstruction,
  settleInstruction,
  startHold,
  type FaceLight,
  type FrameObservation,
  type Instruction,
  type ShownInstruction,
} from './guidance';

const face = (over: Partial<FaceMetrics> = {}): FaceMetrics => ({
  box: { x: 540, y: 250, width: 200, height: 230 },
  sizePx: 300,
  interpupillaryPx: 93,
  yawDeg: 0,
  pitchDeg: 0,
  rollDeg: 0,
  score: 0.99,
  eyeOpenness: 0.28,
  ...over,
});
const light = (over: Partial<FaceLight> = {}): FaceLight => ({ mean: 130, spread: 120, blown: 0, ...over });
const frame = (over: Partial<FrameObservation> = {}): FrameObservation => ({
  width: 1280,
  height: 720,
  faces: [face()],
  light: light(),
  sharpness: 60,
  movement: 0.1,
  ...over,
});

describe('nextInstruction', () => {
  it('says good only when every rule holds', () => {
    expect(nextInstruction(frame())).toBe('good');
  });

  it("expects a seated visitor to be seen from below, but never past the service's 20° of pitch", () => {
    const pitched = (pitchDeg: number, seated: boolean) => nextInstruction(frame({ faces: [face({ pitchDeg })] }), null, { seated });
    // A face seen 18° from below: refused standing, accepted seated.
    expect(pitched(-18, false)).toBe('lookStraight');
    expect(pitched(-18, true)).toBe('good');
    // The window moved, it did not only widen: a face turned 10° down passes standing, not seated.
    expect(pitched(10, false)).toBe('good');
    expect(pitched(10, true)).toBe('lookStraight');
    // The seated window's far edge is the document's 20°, not 8 + 15 = 23.
    expect(pitched(-21, true)).toBe('lookStraight');
    expect(SEATED_PITCH_DEG).toBeLessThan(0);
  });

  it('gives one instruction at a time, in priority order', () => {
    expect(nextInstruction(frame({ faces: [] }))).toBe('lookAtCamera');
    expect(nextInstruction(frame({ faces: [face(), face({ box: { x: 100, y: 200, width: 180, height: 200 } })] }))).toBe('onlyOnePerson');
    // Two problems at once: the more important one wins.
    // A turned head also looks further away: it is told to look straight first.
    expect(nextInstruction(frame({ faces: [face({ interpupillaryPx: 60, yawDeg: 33 })] }))).toBe('lookStraight');
    expect(nextInstruction(frame({ faces: [face({ interpupillaryPx: 50, rollDeg: 20 })] }))).toBe('moveCloser');
    expect(nextInstruction(frame({ faces: [face({ interpupillaryPx: 140, sizePx: 450 })] }))).toBe('moveBack');
    expect(nextInstruction(frame({ faces: [face({ box: { x: 20, y: 250, width: 200, height: 230 } })] }))).toBe('centerFace');
    expect(nextInstruction(frame({ faces: [face({ box: { x: 540, y: 600, width: 200, height: 230 } })] }))).toBe('centerFace');
    expect(nextInstruction(frame({ faces: [face({ yawDeg: -18 })] }))).toBe('lookStraight');
    expect(nextInstruction(frame({ faces: [face({ pitchDeg: 16 })] }))).toBe('lookStraight');
    expect(nextInstruction(frame({ faces: [face({ rollDeg: 14 })] }))).toBe('keepHeadLevel');
    expect(nextInstruction(frame({ light: light({ mean: 15, spread: 20 }) }))).toBe('findMoreLight');
    expect(nextInstruction(frame({ light: light({ blown: 0.15 }) }))).toBe('tooBright');
    // A few blown pixels (a highlight on the forehead, 5 % of the face, as live webcam faces show) are not glare.
    expect(nextInstruction(frame({ light: light({ blown: 0.05 }) }))).toBe('good');
    expect(nextInstruction(frame({ movement: 1 }))).toBe('holdStill');
    expect(nextInstruction(frame({ sharpness: 5 }))).toBe('holdStill');
  });

  it('judges light on the face alone (the frame around it has no say)', () => {
    // A real dim office: face luma ~42 with its detail still visible, and the same dim face before
    // a brighter room (face ~43, frame ~95), whose frames the engine scored live.
    expect(nextInstruction(frame({ light: light({ mean: 42, spread: 55 }) }))).toBe('good');
    expect(nextInstruction(frame({ light: light({ mean: 43, spread: 50 }) }))).toBe('good');
    // So dark the face shows almost no detail.
    expect(nextInstruction(frame({ light: light({ mean: 18, spread: 22 }) }))).toBe('findMoreLight');
    // A phone replay lit by its own screen is not refused for light (liveness judges it).
    expect(nextInstruction(frame({ light: light({ mean: 94, spread: 90 }) }))).toBe('good');
  });

  it('blocks on the hard rules and only advises on the soft ones', () => {
    const blocking = (over: Partial<FrameObservation>) => judgeFrame(frame(over)).blocking;
    expect(blocking({ faces: [] })).toBe(true);
    expect(blocking({ faces: [face({ interpupillaryPx: 70 })] })).toBe(true);
    expect(blocking({ faces: [face({ yawDeg: 25 })] })).toBe(true);
    expect(blocking({ faces: [face({ eyeOpenness: 0.05 })] })).toBe(true);
    // Part of the face out of view is hard; a whole face off-centre is advice.
    expect(judgeFrame(frame({ faces: [face({ box: { x: -20, y: 250, width: 200, height: 230 } })] }))).toEqual({ instruction: 'centerFace', blocking: true });
    expect(judgeFrame(frame({ faces: [face({ box: { x: 20, y: 250, width: 200, height: 230 } })] }))).toEqual({ instruction: 'centerFace', blocking: false });
    expect(judgeFrame(frame({ light: light({ mean: 15, spread: 20 }) }))).toEqual({ instruction: 'findMoreLight', blocking: false });
    expect(judgeFrame(frame({ light: light({ blown: 0.2 }) }))).toEqual({ instruction: 'tooBright', blocking: false });
    expect(judgeFrame(frame({ sharpness: 5 }))).toEqual({ instruction: 'holdStill', blocking: false });
    expect(judgeFrame(frame())).toEqual({ instruction: 'good', blocking: false });
  });

  it('asks for open eyes, with hysteresis, and judges nothing without a mesh', () => {
    expect(nextInstruction(frame({ faces: [face({ eyeOpenness: 0.04 })] }))).toBe('openEyes');
    const between = (GUIDANCE.minEyeOpenness.enter + GUIDANCE.minEyeOpenness.leave) / 2;
    expect(nextInstruction(frame({ faces: [face({ eyeOpenness: between })] }), 'openEyes')).toBe('openEyes');
    expect(nextInstruction(frame({ faces: [face({ eyeOpenness: between })] }), 'good')).toBe('good');
    const { eyeOpenness: _, ...noMesh } = face();
    expect(nextInstruction(frame({ faces: [noMesh] }))).toBe('good');
  });

  it('ignores a small face in the background', () => {
    expect(nextInstruction(frame({ faces: [face(), face({ box: { x: 50, y: 50, width: 60, height: 70 } })] }))).toBe('good');
  });

  it('lets the visitor stand anywhere in the distance range: 85 px to the frame scaled to 480 px high', () => {
    // A face ~2.2 pupil distances wide and ~2.6 tall, centred in the frame.
    const at = (interpupillaryPx: number, size = { width: 1280, height: 720 }, showing: Instruction | null = null) => {
      const box = { width: 2.2 * interpupillaryPx, height: 2.6 * interpupillaryPx };
      const centred = { x: (size.width - box.width) / 2, y: (size.height - box.height) / 2, ...box };
      return nextInstruction(frame({ ...size, faces: [face({ interpupillaryPx, sizePx: interpupillaryPx * 3.2, box: centred })] }), showing);
    };
    // 720p: 85..135 px. Guidance asks to come closer only 2 px past the floor (its downscale reads
    // ±2 px; the full-size re-check is the arbiter), and clears at the floor.
    expect(at(86)).toBe('good');
    expect(at(83.5)).toBe('good');
    expect(at(82.5)).toBe('moveCloser');
    expect(at(84, undefined, 'moveCloser')).toBe('moveCloser');
    expect(at(85, undefined, 'moveCloser')).toBe('good');
    expect(at(120)).toBe('good');
    expect(at(130)).toBe('good');
    expect(at(132)).toBe('moveBack');
    expect(at(125, undefined, 'moveBack')).toBe('moveBack');
    expect(at(123, undefined, 'moveBack')).toBe('good');
    // 1080p: 85..202.5 px.
    const fullHd = { width: 1920, height: 1080 };
    expect(at(84, fullHd)).toBe('good');
    expect(at(190, fullHd)).toBe('good');
    expect(at(198, fullHd)).toBe('moveBack');
  });

  it('has hysteresis: a shown instruction clears only well inside its limit, a passing rule fails only past it', () => {
    const { minIpd } = distanceRange({ height: 720 });
    const far = { enter: minIpd + GUIDANCE.farMarginPx.enter, leave: minIpd + GUIDANCE.farMarginPx.leave };
    const between = (far.enter + far.leave) / 2;
    expect(nextInstruction(frame({ faces: [face({ interpupillaryPx: between })] }), 'moveCloser')).toBe('moveCloser');
    expect(nextInstruction(frame({ faces: [face({ interpupillaryPx: between })] }), 'good')).toBe('good');
    expect(nextInstruction(frame({ faces: [face({ interpupillaryPx: far.enter })] }), 'moveCloser')).toBe('good');
    expect(nextInstruction(frame({ faces: [face({ interpupillaryPx: far.leave - 0.5 })] }), 'good')).toBe('moveCloser');
    const yaw = (GUIDANCE.maxYawDeg.enter + GUIDANCE.maxYawDeg.leave) / 2;
    expect(nextInstruction(frame({ faces: [face({ yawDeg: yaw })] }), 'lookStraight')).toBe('lookStraight');
    expect(nextInstruction(frame({ faces: [face({ yawDeg: yaw })] }), 'good')).toBe('good');
  });

  it('keeps a face that jitters by ±2 px on the distance limit from flickering', () => {
    const edge = distanceRange({ height: 720 }).minIpd + GUIDANCE.farMarginPx.leave;
    let showing: Instruction | null = null;
    let changes = 0;
    for (let i = 0; i < 300; i++) {
      // A fixed pattern of jitter (no unseeded randomness): up to ±1.9 px around the edge.
      const ipd = edge + ((i % 2 === 0 ? -1 : 1) * 1.9 * ((i * 37) % 11)) / 10;
      const next = nextInstruction(frame({ faces: [face({ interpupillaryPx: ipd })] }), showing);
      if (next !== showing) changes++;
      showing = next;
    }
    expect(changes).toBeLessThanOrEqual(2);
  });

  it('draws the oval where a face in the middle of the range sits', () => {
    const oval = guideOval({ height: 720 });
    const { minIpd, maxIpd } = distanceRange({ height: 720 });
    expect(oval.ry / 1.85).toBeCloseTo((minIpd + maxIpd) / 2, 6);
    // The oval stays inside the frame.
    expect(2 * oval.ry).toBeLessThan(720);
    expect(2 * guideOval({ height: 1080 }).ry).toBeLessThan(1080);
  });
});

describe('captureRefusal (the full-size re-check of the chosen frame)', () => {
  const at = (interpupillaryPx: number, over: Partial<FaceMetrics> = {}) => face({ interpupillaryPx, sizePx: 3 * interpupillaryPx, ...over });

  it('lets through a face in the range, which main scales to 90 px', () => {
    expect(captureRefusal({ height: 720 }, at(86))).toBeNull();
    expect(captureRefusal({ height: 720 }, at(130))).toBeNull();
  });

  it('refuses, and says what to do: too far, too close for the scaled height, eyes closed; no face', () => {
    expect(captureRefusal({ height: 720 }, at(84))).toEqual({ reason: 'FACE_TOO_SMALL', instruction: 'moveCloser' });
    expect(captureRefusal({ height: 720 }, at(140))).toEqual({ reason: 'height', instruction: 'moveBack' });
    expect(captureRefusal({ height: 720 }, at(100, { eyeOpenness: 0.05 }))).toEqual({ reason: 'eyes', instruction: 'openEyes' });
    expect(captureRefusal({ height: 720 }, at(100, { yawDeg: 30 }))).toEqual({ reason: 'FACE_ANGLE_TOO_LARGE', instruction: null });
    expect(captureRefusal({ height: 720 }, undefined)).toEqual({ reason: 'FACE_NOT_FOUND', instruction: null });
  });
});

describe('faceLight', () => {
  it('measures mean, 5–95 % spread and the blown-out share', () => {
    const samples = Array.from({ length: 100 }, (_, i) => (i < 10 ? 255 : 50 + i));
    const l = faceLight(samples);
    expect(l.mean).toBeCloseTo((10 * 255 + Array.from({ length: 90 }, (_, i) => 60 + i).reduce((a, b) => a + b, 0)) / 100, 6);
    expect(l.blown).toBeCloseTo(0.1);
    expect(l.spread).toBe(255 - 64);
    expect(faceLight([])).toMatchObject({ mean: 0, spread: 0 });
  });
});

describe('settleInstruction', () => {
  const run = (answers: Array<[Instruction, number]>) =>
    answers.reduce<ShownInstruction[]>(
      (states, [answer, t]) => [...states, settleInstruction(states.at(-1) ?? { shown: null, candidate: null, candidateSince: 0 }, answer, t)],
      [],
    );

  it('shows the first answer at once, and a new one only after it has held', () => {
    const states = run([
      ['moveCloser', 0],
      ['good', 100],
      ['good', 100 + GUIDANCE.instructionHoldMs - 1],
      ['good', 100 + GUIDANCE.instructionHoldMs],
    ]);
    expect(states.map((s) => s.shown)).toEqual(['moveCloser', 'moveCloser', 'moveCloser', 'good']);
  });

  it('never changes the text for answers that alternate faster than the hold', () => {
    const answers = Array.from({ length: 40 }, (_, i): [Instruction, number] => [i % 2 ? 'moveCloser' : 'good', i * 100]);
    expect(new Set(run(answers).map((s) => s.shown))).toEqual(new Set(['good']));
  });
});

describe('advanceHold', () => {
  /** Feeds frames every 33 ms (30 fps); `compliant(i)` and `sharpness(i)` describe frame i. */
  const feed = (count: number, compliant: (i: number) => boolean, sharpness: (i: number) => number = () => 50) => {
    let state = startHold(0);
    const steps = [];
    for (let i = 0; i < count; i++) {
      const step = advanceHold(state, { compliant: compliant(i), sharpness: sharpness(i) }, 1000 + i * 33);
      state = step.state;
      steps.push(step);
      if (step.capture) break;
    }
    return steps;
  };

  it('captures after a compliant hold, and not before', () => {
    const steps = feed(60, () => true);
    const at = steps.findIndex((s) => s.capture);
    expect(at * 33).toBeGreaterThanOrEqual(GUIDANCE.holdMs);
    expect(at * 33).toBeLessThan(GUIDANCE.holdMs + 66);
    expect(steps[Math.floor(at / 2)]!.progress).toBeCloseTo(0.5, 1);
  });

  it('tolerates natural motion: one frame in eight out of the rules does not restart the hold', () => {
    const steps = feed(60, (i) => i % 8 !== 5);
    expect(steps.some((s) => s.capture)).toBe(true);
  });

  it('captures one hold after a visitor turns back, not two', () => {
    // Out of the rules for the first second, then in them.
    const steps = feed(90, (i) => i >= 30);
    const at = steps.findIndex((s) => s.capture);
    expect((at - 30) * 33).toBeGreaterThanOrEqual(GUIDANCE.holdMs);
    expect((at - 30) * 33).toBeLessThan(GUIDANCE.holdMs + 66);
  });

  it('tolerates one frame in five out of the rules at 5 frames per second', () => {
    let state = startHold(0);
    const captured = [];
    for (let i = 0; i < 10; i++) {
      const step = advanceHold(state, { compliant: i !== 3, sharpness: 50 }, 1000 + i * 200);
      state = step.state;
      captured.push(step.capture);
    }
    expect(captured.indexOf(true)).toBe(4);
  });

  it('does not capture a visitor who is out of the rules half the time', () => {
    expect(feed(120, (i) => i % 2 === 0).some((s) => s.capture)).toBe(false);
  });

  it('marks the sharpest compliant frame of the window as the one to keep', () => {
    // Frame 10 is the sharpest and compliant; frame 12 is sharper but not compliant.
    const steps = feed(
      60,
      (i) => i !== 12,
      (i) => (i === 10 ? 90 : i === 12 ? 200 : 50),
    );
    const bestMarks = steps.map((s, i) => (s.isBest ? i : -1)).filter((i) => i >= 0);
    expect(bestMarks).toContain(10);
    expect(bestMarks.filter((i) => i > 10)).toEqual([]);
    expect(steps.at(-1)!.capture).toBe(true);
    expect(steps.at(-1)!.state.best!.sharpness).toBe(90);
  });

  it('waits on advice at most adviceWaitMs past a full hold, then captures anyway', () => {
    let state = startHold(0);
    let capturedAt = -1;
    for (let i = 0; i < 120 && capturedAt < 0; i++) {
      const step = advanceHold(state, { compliant: true, advised: true, sharpness: 50 }, 1000 + i * 33);
      state = step.state;
      if (step.capture) capturedAt = i * 33;
    }
    expect(capturedAt).toBeGreaterThanOrEqual(GUIDANCE.holdMs + GUIDANCE.adviceWaitMs);
    expect(capturedAt).toBeLessThan(GUIDANCE.holdMs + GUIDANCE.adviceWaitMs + 66);
    // Advice followed before then: captured at that frame.
    state = startHold(0);
    const advisedUntil = GUIDANCE.holdMs + 200;
    for (let i = 0; i < 120; i++) {
      const t = i * 33;
      const step = advanceHold(state, { compliant: true, advised: t < advisedUntil, sharpness: 50 }, 1000 + t);
      state = step.state;
      if (step.capture) {
        expect(t).toBeGreaterThanOrEqual(advisedUntil);
        expect(t).toBeLessThan(advisedUntil + 34);
        return;
      }
    }
    throw new Error('never captured');
  });

  it('offers manual capture after the timeout', () => {
    expect(advanceHold(startHold(0), { compliant: false, sharpness: 0 }, GUIDANCE.manualAfterMs).manualAllowed).toBe(true);
    expect(advanceHold(startHold(0), { compliant: false, sharpness: 0 }, GUIDANCE.manualAfterMs - 1).manualAllowed).toBe(false);
  });
});
