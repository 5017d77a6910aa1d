import { describe, expect, it } from 'vitest';
import { BLINK, blinkWaitStep, observeBlink, startBlinkWait, startBlinkWatch, type BlinkWatch } from './blink';
import type { FaceMetrics } from './faceRules';

/** A seeded generator: the same noise on every run. */
function noise(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648 - 0.5;
  };
}

const face = (over: Partial<FaceMetrics> = {}): FaceMetrics => ({
  box: { x: 500, y: 250, width: 230, height: 270 },
  sizePx: 300,
  interpupillaryPx: 100,
  yawDeg: 0,
  pitchDeg: 0,
  rollDeg: 0,
  score: 0.9,
  eyeOpenness: 0.3,
  faceProportion: 0.9,
  ...over,
});

/** Feeds `frames` faces at 15 frames per second; returns the watch and which frames read closed. */
function run(frames: FaceMetrics[], watch: BlinkWatch = startBlinkWatch()) {
  const closed: number[] = [];
  const broken: number[] = [];
  frames.forEach((f, i) => {
    const step = observeBlink(watch, f, i * (1000 / 15));
    watch = step.watch;
    if (step.closed) closed.push(i);
    if (step.broken) broken.push(i);
  });
  return { watch, closed, broken };
}

describe('the blink watch', () => {
  it('sees a blink: three frames of eyes at half their opening after a second of open eyes, with the mesh’s jitter', () => {
    const jitter = noise(7);
    const open = Array.from({ length: 15 }, () => face({ eyeOpenness: 0.3 + 0.02 * jitter() }));
    const { watch, closed } = run([...open, face({ eyeOpenness: 0.15 }), face({ eyeOpenness: 0.12 }), face({ eyeOpenness: 0.16 }), ...open.slice(0, 5)]);
    expect(closed).toEqual([15, 16, 17]);
    expect(watch.seenAt).not.toBeNull();
  });

  it('never sees one in open eyes that jitter as the mesh does, nor before it has a baseline', () => {
    const jitter = noise(11);
    expect(run(Array.from({ length: 150 }, () => face({ eyeOpenness: 0.3 + 0.04 * jitter() }))).watch.seenAt).toBeNull();
    // Four measures are not a baseline: a face that arrives with its eyes half shut is not a blink.
    expect(run([...Array.from({ length: 4 }, () => face()), face({ eyeOpenness: 0.1 })]).closed).toEqual([]);
  });

  it('is not fooled by a print tilted away from the camera: the eyes’ opening and the face’s height shrink together', () => {
    const frames = Array.from({ length: 60 }, (_, i) => {
      const shrink = Math.cos(((40 * Math.PI) / 180) * Math.sin((Math.PI * i) / 30));
      return face({ eyeOpenness: 0.3 * shrink, faceProportion: 0.9 * shrink });
    });
    // The eye aspect ratio alone would read the tilt as closed eyes (0.77 of the baseline at 40°) …
    expect(Math.min(...frames.map((f) => f.eyeOpenness! / 0.3))).toBeLessThan(0.78);
    // … over the face's own proportions it stays what it was.
    expect(run(frames).watch.seenAt).toBeNull();
  });

  it('forgets a blink when the face is lost or replaced: it must belong to the face captured', () => {
    const blinked = run([...Array.from({ length: 10 }, () => face()), face({ eyeOpenness: 0.1 })]).watch;
    expect(blinked.seenAt).not.toBeNull();
    // One frame without a face is a detector's miss; two in a row, the face is gone.
    const missed = observeBlink(blinked, undefined, 2000);
    expect(missed.broken).toBe(false);
    expect(observeBlink(missed.watch, face(), 2066).watch.seenAt).toBe(blinked.seenAt);
    const lost = observeBlink(missed.watch, undefined, 2066);
    expect(lost.broken).toBe(true);
    expect(lost.watch.seenAt).toBeNull();
    // A face half its width away from the last frame's is another presentation.
    const moved = observeBlink(blinked, face({ box: { x: 500 + 0.6 * 230, y: 250, width: 230, height: 270 } }), 800);
    expect(moved.broken).toBe(true);
    expect(moved.watch.seenAt).toBeNull();
    // A face that moves as a visitor does keeps its blink.
    const steady = observeBlink(blinked, face({ box: { x: 520, y: 255, width: 232, height: 270 } }), 800);
    expect(steady.broken).toBe(false);
    expect(steady.watch.seenAt).toBe(blinked.seenAt);
  });

  it('keeps no more than the baseline’s time of measures', () => {
    const { watch } = run(Array.from({ length: 300 }, () => face()));
    expect(watch.samples.length).toBeLessThanOrEqual(Math.ceil((BLINK.baselineMs * 15) / 1000) + 1);
  });
});

describe('the wait for a blink after the photo is chosen', () => {
  const blinked = { ...startBlinkWatch(), seenAt: 500 };
  it('does not wait when the check is off or the face already blinked; asks 6 s, or watches 3 s unasked', () => {
    expect(startBlinkWait('off', startBlinkWatch(), 0)).toBeNull();
    expect(startBlinkWait('prompt', blinked, 0)).toBeNull();
    expect(startBlinkWait('prompt', startBlinkWatch(), 1000)).toEqual({ since: 1000, prompted: true, limitMs: BLINK.promptWaitMs });
    expect(startBlinkWait('passive', startBlinkWatch(), 1000)).toEqual({ since: 1000, prompted: false, limitMs: BLINK.passiveWaitMs });
  });

  it('sends once the face blinks, sends without a blink when the time is up, and starts over when the face is lost', () => {
    const wait = startBlinkWait('prompt', startBlinkWatch(), 1000)!;
    expect(blinkWaitStep(wait, { watch: startBlinkWatch(), broken: false }, 3000)).toEqual({ kind: 'wait' });
    expect(blinkWaitStep(wait, { watch: blinked, broken: false }, 2400)).toEqual({ kind: 'send', evidence: { seen: true, prompted: true, waitedMs: 1400 } });
    expect(blinkWaitStep(wait, { watch: startBlinkWatch(), broken: false }, 7000)).toEqual({
      kind: 'send',
      evidence: { seen: false, prompted: true, waitedMs: 6000 },
    });
    expect(blinkWaitStep(wait, { watch: blinked, broken: true }, 2400)).toEqual({ kind: 'restart' });
  });
});
