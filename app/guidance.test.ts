import { describe, expect, it } from 'vitest';
import type { FaceMetrics } from './faceRules';
import { GUIDANCE, advanceHold, nextInstruction, type FrameObservation } from './guidance';

const face = (over: Partial<FaceMetrics> = {}): FaceMetrics => ({
  box: { x: 540, y: 250, width: 200, height: 230 },
  sizePx: 300,
  interpupillaryPx: 90,
  yawDeg: 0,
  pitchDeg: 0,
  rollDeg: 0,
  score: 0.99,
  ...over,
});
const frame = (over: Partial<FrameObservation> = {}): FrameObservation => ({
  width: 1280,
  height: 720,
  faces: [face()],
  brightness: 130,
  sharpness: 60,
  movement: 0.01,
  ...over,
});

describe('nextInstruction', () => {
  it('says good only when every rule holds', () => {
    expect(nextInstruction(frame())).toBe('good');
  });

  it('gives one instruction at a time, in priority order', () => {
    expect(nextInstruction(frame({ faces: [] }))).toBe('lookAtCamera');
    expect(nextInstruction(frame({ faces: [face(), face({ box: { x: 100, y: 200, width: 180, height: 200 } })] }))).toBe('onlyOnePerson');
    // Two problems at once: the more important one wins.
    expect(nextInstruction(frame({ faces: [face({ interpupillaryPx: 50, yawDeg: 40 })] }))).toBe('moveCloser');
    expect(nextInstruction(frame({ faces: [face({ interpupillaryPx: 120 })] }))).toBe('moveBack');
    expect(nextInstruction(frame({ faces: [face({ box: { x: 20, y: 250, width: 200, height: 230 } })] }))).toBe('centerFace');
    expect(nextInstruction(frame({ faces: [face({ box: { x: 540, y: 600, width: 200, height: 230 } })] }))).toBe('centerFace');
    expect(nextInstruction(frame({ faces: [face({ yawDeg: -18 })] }))).toBe('lookStraight');
    expect(nextInstruction(frame({ faces: [face({ pitchDeg: 16 })] }))).toBe('lookStraight');
    expect(nextInstruction(frame({ faces: [face({ rollDeg: 14 })] }))).toBe('keepHeadLevel');
    expect(nextInstruction(frame({ brightness: 40 }))).toBe('findMoreLight');
    expect(nextInstruction(frame({ movement: 0.2 }))).toBe('holdStill');
    expect(nextInstruction(frame({ sharpness: 5 }))).toBe('holdStill');
  });

  it('ignores a small face in the background', () => {
    expect(nextInstruction(frame({ faces: [face(), face({ box: { x: 50, y: 50, width: 60, height: 70 } })] }))).toBe('good');
  });
});

describe('advanceHold', () => {
  it('captures after the hold, restarts on any break, and offers manual capture after the timeout', () => {
    let state = { goodSince: null as number | null, startedAt: 0 };
    let step = advanceHold(state, 'good', 1000);
    expect(step).toMatchObject({ progress: 0, capture: false });
    state = step.state;
    step = advanceHold(state, 'good', 1000 + GUIDANCE.holdMs / 2);
    expect(step.progress).toBeCloseTo(0.5);
    step = advanceHold(step.state, 'holdStill', 1000 + GUIDANCE.holdMs - 1);
    expect(step).toMatchObject({ progress: 0, capture: false });
    step = advanceHold(step.state, 'good', 5000);
    step = advanceHold(step.state, 'good', 5000 + GUIDANCE.holdMs);
    expect(step.capture).toBe(true);
    expect(advanceHold(step.state, 'moveCloser', GUIDANCE.manualAfterMs).manualAllowed).toBe(true);
  });
});
