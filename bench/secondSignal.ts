/**
 * `npm run bench:second-signal -- --video <dir> [--fps N] [--seconds S] [--json]`
 *
 * The evidence for the kiosk's second liveness signal, two candidates measured on the same
 * footage (docs/accuracy.md, "The second signal"):
 * - flatness from motion (app/flatness.ts): what one homography cannot explain of the face
 *   mesh's motion over a 0.8-s hold, relative to the motion;
 * - a blink (app/blink.ts): the lowest eye opening of a 2-s window over its median, and when the
 *   kiosk's own blink watch first sees a blink from a given moment.
 * Sources: every live video in <dir> (a name without "fake"), the replays (a name with "fake":
 * a phone or a monitor, hand-held), and planar presentations made here (harness/
 * planarPresentation.ts): the npm sample faces and one frame of each live video, printed and moved
 * by hand, filling the view or with a white margin on a wall. Each source is measured once, frame
 * by frame at `--fps` (guidance's rate), the face mesh found by the engine's Human at guidance's
 * 640 px, the iris model every other frame as guidance runs it.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { observeBlink, startBlinkWatch } from '../app/blink';
import { RIGID_LANDMARKS, flatnessEvidence, type Point } from '../app/flatness';
import { analyze, type AnalyzedFace } from '../engine/analysis/analyze';
import { engineConfig, loadHuman } from '../engine/analysis/humanNode';
import { faceCrop } from '../harness/faces';
import { handHeldPrint, rawOf } from '../harness/planarPresentation';
import { quantiles } from './metrics';
import { mjpegFramesEvery, splitMjpeg } from './mjpeg';

const { values } = parseArgs({
  options: {
    video: { type: 'string' },
    fps: { type: 'string', default: '15' },
    seconds: { type: 'string', default: '3' },
    json: { type: 'boolean', default: false },
  },
});
const FPS = Number(values.fps);
const HOLD_FRAMES = Math.max(3, Math.round(0.8 * FPS));
const BLINK_WINDOW = Math.round(2 * FPS);

const config = engineConfig(['detector', 'mesh', 'iris']);
const human = await loadHuman(config);

type Kind = 'live' | 'replay' | 'planar';
type Frame = AnalyzedFace | null;
const measure = async (picture: Uint8Array): Promise<Frame> => (await analyze(human, config, picture, { maxSide: 640, withMesh: true })).faces[0] ?? null;

/** Frames measured as guidance measures them: the iris model every other frame, its eye measures carried in between. */
async function track(pictures: readonly Uint8Array[]): Promise<Frame[]> {
  const frames: Frame[] = [];
  for (const [i, picture] of pictures.entries()) {
    const face = await measure(picture);
    const last = frames.at(-1);
    if (face && i % 2 === 1 && last) {
      face.eyeOpenness = last.eyeOpenness!;
      face.faceProportion = last.faceProportion!;
    }
    frames.push(face);
  }
  return frames;
}

const sources: Array<{ source: string; kind: Kind; frames: Frame[] }> = [];
const videos = values.video ? (await readdir(values.video)).filter((f) => f.endsWith('.mjpeg')).sort() : [];
for (const file of videos) {
  const all = splitMjpeg(await readFile(join(values.video!, file)));
  const step = Math.max(1, Math.round(30 / FPS));
  const frames = await track(all.filter((_, i) => i % step === 0));
  sources.push({ source: file.replace('.mjpeg', ''), kind: /fake/i.test(file) ? 'replay' : 'live', frames });
  if (!values.json) console.error(`${file}: ${frames.length} frames`);
}

const pictures: Array<{ name: string; bytes: Uint8Array }> = [];
for (const name of ['A', 'B', 'C'] as const) pictures.push({ name: `sample ${name}`, bytes: await faceCrop(name, { margin: 0.9 }) });
for (const file of videos.filter((f) => !/fake/i.test(f))) {
  const [first] = await mjpegFramesEvery(join(values.video!, file), 1);
  if (first) pictures.push({ name: file.replace('.mjpeg', ''), bytes: first.bytes });
}
let seed = 0;
for (const { name, bytes } of pictures) {
  const seen = await measure(bytes);
  if (!seen) continue;
  for (const margin of [false, true]) {
    seed += 1;
    // Rendered at 640×360 (what guidance analyses), the pupils ~55 px apart: the middle of the 720p range.
    const frames = await handHeldPrint(await rawOf(bytes, margin), {
      seconds: Number(values.seconds),
      fps: FPS,
      seed,
      pictureIpd: seen.interpupillaryPx,
      ipd: 55,
      background: margin ? 'wall' : 'edge',
      camera: { width: 640, height: 360, focal: 500 },
    });
    sources.push({ source: `${name} ${margin ? 'with margin' : 'full frame'}`, kind: 'planar', frames: await track(frames) });
  }
  if (!values.json) console.error(`planar ${name}: done`);
}

/** Consecutive windows of `n` frames every half second, each with the face in every frame. */
function windows(frames: Frame[], n: number): AnalyzedFace[][] {
  const out: AnalyzedFace[][] = [];
  for (let s = 0; s + n <= frames.length; s += Math.round(FPS / 2)) {
    const w = frames.slice(s, s + n);
    if (w.every((f) => f !== null)) out.push(w as AnalyzedFace[]);
  }
  return out;
}

const opening = (f: AnalyzedFace) => f.eyeOpenness! / f.faceProportion!;
const rows = sources.map(({ source, kind, frames }) => {
  const flatness = windows(frames, HOLD_FRAMES).map((w) => {
    const e = flatnessEvidence(
      w.map((f) => RIGID_LANDMARKS.map((i) => f.mesh![i]! as Point)),
      quantiles(w.map((f) => f.interpupillaryPx)).median,
    );
    return e.nonPlanar / Math.max(1e-9, e.motion);
  });
  const dips = windows(frames, BLINK_WINDOW).map((w) => Math.min(...w.map(opening)) / quantiles(w.map(opening)).median);
  // The kiosk's own watch, from every half second on: how long until it sees a blink (Infinity: not before the source ends).
  const untilBlink: number[] = [];
  for (let s = 0; s < frames.length; s += Math.round(FPS / 2)) {
    let watch = startBlinkWatch();
    let at = Infinity;
    for (let k = s; k < frames.length && at === Infinity; k++) {
      watch = observeBlink(watch, frames[k] ?? undefined, (k * 1000) / FPS).watch;
      if (watch.seenAt !== null) at = (k - s) / FPS;
    }
    untilBlink.push(at);
  }
  return { source, kind, frames: frames.length, flatness, dips, untilBlink };
});

if (values.json) {
  console.log(JSON.stringify(rows));
} else {
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '—');
  const share = (v: number[], s: number) => `${Math.round((100 * v.filter((t) => t <= s).length) / Math.max(1, v.length))} %`;
  console.log(`\n${FPS} frames per second; flatness over 0.8-s holds, blink dips over 2-s windows.\n`);
  console.log(
    '| source | kind | frames | flatness (unexplained ÷ motion): min / median | lowest opening ÷ median: min / median / max | blink seen within 1 / 3 / 6 s |',
  );
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    const fl = quantiles(r.flatness);
    const d = quantiles(r.dips);
    console.log(
      `| ${r.source} | ${r.kind} | ${r.frames} | ${f(fl.min)} / ${f(fl.median)} | ${f(d.min)} / ${f(d.median)} / ${f(d.max)} | ${share(r.untilBlink, 1)} / ${share(r.untilBlink, 3)} / ${share(r.untilBlink, 6)} |`,
    );
  }
  for (const kind of ['live', 'replay', 'planar'] as const) {
    const of = rows.filter((r) => r.kind === kind);
    const fl = quantiles(of.flatMap((r) => r.flatness));
    const d = quantiles(of.flatMap((r) => r.dips));
    const blinks = of.filter((r) => r.untilBlink.some(Number.isFinite)).length;
    console.log(
      `${kind}: flatness p10 ${f(fl.p10)} median ${f(fl.median)} max ${f(fl.max)}; lowest opening ÷ median min ${f(d.min)} median ${f(d.median)} max ${f(d.max)}; a blink seen in ${blinks} of ${of.length} sources`,
    );
  }
}
