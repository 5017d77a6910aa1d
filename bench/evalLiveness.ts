/**
 * Presentation-attack detection on a data set (ISO/IEC 30107-3): which presentations there are,
 * how each is put to the engine, and the figures per source, per kind and per attack type.
 *
 * Presentations are the spoof set's stills (manifest.csv) and one frame every 0.25 s of every
 * video in --video (a name containing "fake" is a replay attack, any other a bona fide person).
 * Sources whose manifest notes call them crops are tight face crops, not camera frames: reported
 * on their own, never part of the headline figures (the kiosk sends camera frames).
 */
import { readFile, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Human } from '@vladmandic/human';
import sharp from 'sharp';
import { FACE_RULES } from '../app/faceRules';
import { analyze, type LivenessCheck } from '../engine/analysis/analyze';
import { MINIFASNET_DIR, liveProbability, loadAntispoof } from '../engine/analysis/antispoof';
import { engineConfig, loadHuman } from '../engine/analysis/humanNode';
import { personScore } from '../engine/analysis/presence';
import { normalizeForLiveness } from '../main/imaging/normalize';
import { readCsv } from './csv';
import { atThreshold, countBy, quantiles, rocAuc, thresholdForFalseAccept } from './metrics';
import { mjpegFramesEvery } from './mjpeg';

export interface Presentation {
  source: string;
  kind: 'still' | 'video' | 'crop';
  /** null for a bona fide presentation. */
  attack: string | null;
  name: string;
  load: () => Promise<Uint8Array>;
}

export const VIDEO_FRAME_EVERY_S = 0.25;

export async function loadPresentations(spoofDir: string, videoDir?: string): Promise<Presentation[]> {
  const stills = (await readCsv(join(spoofDir, 'manifest.csv'))).map((row): Presentation => ({
    source: row.file!.split('/')[1]!,
    kind: /\bcrop\b/i.test(row.notes ?? '') ? 'crop' : 'still',
    attack: row.label === 'attack' ? row.attack_type || 'other' : null,
    name: row.file!,
    load: () => readFile(join(spoofDir, row.file!)),
  }));
  const videos = videoDir ? (await readdir(videoDir)).filter((f) => f.endsWith('.mjpeg')).sort() : [];
  const frames = await Promise.all(
    videos.map(async (file) => {
      const path = join(videoDir!, file);
      const picked = await mjpegFramesEvery(path, VIDEO_FRAME_EVERY_S);
      return picked.map(({ t, bytes }): Presentation => ({
        source: file.split('_')[0]!,
        kind: 'video',
        attack: /fake/i.test(file) ? 'replay' : null,
        name: `${basename(file)}@${t.toFixed(2)}s`,
        load: async () => bytes,
      }));
    }),
  );
  return [...stills, ...frames.flat()];
}

/** Scales a presentation so the pupils are ~90 px apart, cut to at most 1920×1080 around the face. */
export async function atKioskDistance(bytes: Uint8Array, face: { box: { x: number; y: number; width: number; height: number }; interpupillaryPx: number }) {
  const scale = FACE_RULES.interpupillaryPx.target / face.interpupillaryPx;
  const image = sharp(bytes).rotate();
  const meta = await image.metadata();
  const width = Math.round(meta.autoOrient.width * scale);
  const height = Math.round(meta.autoOrient.height * scale);
  const scaled = await image.resize(width, height).toBuffer();
  const cutW = Math.min(width, 1920);
  const cutH = Math.min(height, 1080);
  const cx = (face.box.x + face.box.width / 2) * scale;
  const cy = (face.box.y + face.box.height / 2) * scale;
  const clamp = (v: number, max: number) => Math.min(Math.max(0, Math.round(v)), max);
  return sharp(scaled)
    .extract({ left: clamp(cx - cutW / 2, width - cutW), top: clamp(cy - cutH / 2, height - cutH), width: cutW, height: cutH })
    .png()
    .toBuffer();
}

export type Outcome = { score: number } | { rejected: string };
export interface Scored extends Presentation {
  outcome: Outcome;
  /** The face's pose as measured before scaling: would the kiosk's guidance have captured it? */
  withinGuidance?: boolean;
  /** Further evidence measured in process on the same picture (--signals): signal name → score. */
  signals: Record<string, number>;
}

/** In-process scorers on the picture the engine saw: the evidence behind the choice of `result`. */
export async function signalScorers(): Promise<{ human: Human; checks: Record<string, LivenessCheck> }> {
  const human = await loadHuman(engineConfig(['detector', 'mesh', 'iris', 'people']));
  const models = await loadAntispoof(human, MINIFASNET_DIR);
  const people = engineConfig(['people']);
  const due = () => true;
  return {
    human,
    checks: {
      minifasnet: { due, score: (image, face) => liveProbability(human, models, image, face) },
      person: { due, score: (image, face) => personScore(human, people, image, face) },
    },
  };
}

/**
 * Puts every presentation to `liveness` (the engine, through the kiosk's client) the way the kiosk
 * would: scaled to the capture distance and normalised as main does. Presentations no face is
 * found in, or that the engine refuses, are counted by their code.
 */
export async function scorePresentations(
  list: readonly Presentation[],
  liveness: (png: Uint8Array) => Promise<Outcome>,
  options: { signals?: Awaited<ReturnType<typeof signalScorers>> } = {},
): Promise<Scored[]> {
  const config = engineConfig(['detector', 'mesh', 'iris']);
  const human = options.signals?.human ?? (await loadHuman(config));
  const results: Scored[] = [];
  for (const p of list) {
    const bytes = await p.load();
    const face = (await analyze(human, config, bytes)).faces[0];
    if (!face || face.interpupillaryPx <= 0) {
      results.push({ ...p, outcome: { rejected: 'FACE_NOT_FOUND' }, signals: {} });
      continue;
    }
    let png: Uint8Array;
    try {
      png = (await normalizeForLiveness(await atKioskDistance(bytes, face))).bytes;
    } catch (error) {
      results.push({ ...p, outcome: { rejected: (error as { code?: string }).code ?? 'image_invalid' }, signals: {} });
      continue;
    }
    const outcome = await liveness(png);
    const { guideDeg } = FACE_RULES;
    const withinGuidance = Math.abs(face.yawDeg) <= guideDeg.yaw && Math.abs(face.pitchDeg) <= guideDeg.pitch && Math.abs(face.rollDeg) <= guideDeg.roll;
    const signals: Record<string, number> = {};
    if (options.signals && 'score' in outcome) {
      for (const [name, check] of Object.entries(options.signals.checks)) {
        const live = (await analyze(human, config, png, { liveness: check })).live;
        if (live !== null) signals[name] = live;
      }
      // Score-level fusion by the product rule (geometric mean): both must be high to pass.
      if (signals.minifasnet !== undefined && signals.person !== undefined) signals['minifasnet×person'] = Math.sqrt(signals.minifasnet * signals.person);
    }
    results.push({ ...p, outcome, signals, withinGuidance });
  }
  return results;
}

/** Reference mode: MiniFASNet in process on each presentation as it is (no scaling, no face rules). */
export async function scoreAsIs(list: readonly Presentation[]): Promise<Scored[]> {
  const { human, checks } = await signalScorers();
  const config = engineConfig(['detector', 'mesh', 'iris']);
  const results: Scored[] = [];
  for (const p of list) {
    const live = (await analyze(human, config, await p.load(), { maxSide: 4096, liveness: checks.minifasnet! })).live;
    results.push({ ...p, outcome: live === null ? { rejected: 'FACE_NOT_FOUND' } : { score: live }, signals: {} });
  }
  return results;
}

/** Figures for one group of presentations at `threshold`, using `score` to read each one. */
export function figures(
  group: readonly Scored[],
  threshold: number,
  score: (s: Scored) => number | undefined = (s) => ('score' in s.outcome ? s.outcome.score : undefined),
) {
  const scoresOf = (bonaFide: boolean) =>
    group
      .filter((s) => (s.attack === null) === bonaFide)
      .map(score)
      .filter((v): v is number => v !== undefined);
  const live = scoresOf(true);
  const attacks = scoresOf(false);
  const at = atThreshold(live, attacks, threshold);
  return {
    bonaFide: { presentations: group.filter((s) => s.attack === null).length, scored: live.length },
    attacks: { presentations: group.filter((s) => s.attack !== null).length, scored: attacks.length },
    refused: countBy(group.flatMap((s) => ('rejected' in s.outcome ? [s.outcome.rejected] : []))),
    bpcer: at.falseReject,
    apcer: at.falseAccept,
    rocAuc: rocAuc(live, attacks),
    bonaFideScores: quantiles(live),
    attackScores: quantiles(attacks),
  };
}

/** Groups: each source and kind; every attack type over camera frames; and camera frames together. */
export function livenessReport(results: readonly Scored[], threshold: number) {
  const camera = results.filter((r) => r.kind !== 'crop');
  const keys = [...new Set(results.map((r) => `${r.source} ${r.kind}`))].sort();
  const types = [...new Set(camera.flatMap((r) => (r.attack ? [r.attack] : [])))].sort();
  const signalNames = [...new Set(results.flatMap((r) => Object.keys(r.signals)))];
  return {
    threshold,
    cameraFrames: figures(camera, threshold),
    /** Frames whose pose the kiosk's guidance accepts (±20° yaw and pitch): what auto-capture sends. */
    ...(camera.some((r) => r.withinGuidance !== undefined)
      ? {
          cameraFramesWithinGuidance: figures(
            camera.filter((r) => r.withinGuidance),
            threshold,
          ),
        }
      : {}),
    perAttackType: Object.fromEntries(
      types.map((t) => [
        t,
        figures(
          camera.filter((r) => r.attack === null || r.attack === t),
          threshold,
        ),
      ]),
    ),
    perSource: Object.fromEntries(
      keys.map((k) => [
        k,
        figures(
          results.filter((r) => `${r.source} ${r.kind}` === k),
          threshold,
        ),
      ]),
    ),
    /** Every presentation's own outcome, for machines (--json) and for finding what to look at. */
    presentations: results.map(({ source, kind, attack, name, outcome, signals, withinGuidance }) => ({
      source,
      kind,
      attack,
      name,
      outcome,
      signals,
      withinGuidance,
    })),
    ...(signalNames.length ? { signals: Object.fromEntries(signalNames.map((name) => [name, signalFigures(camera, name)])) } : {}),
  };
}

/** A signal's separation on camera frames, each at its own best operating points (in-sample). */
function signalFigures(camera: readonly Scored[], name: string) {
  const of = (bonaFide: boolean) => camera.filter((r) => (r.attack === null) === bonaFide && r.signals[name] !== undefined).map((r) => r.signals[name]!);
  const [live, attacks] = [of(true), of(false)];
  const best = (apcer: number) =>
    (({ threshold, falseAccept, falseReject }) => ({ threshold, apcer: falseAccept, bpcer: falseReject }))(thresholdForFalseAccept(live, attacks, apcer));
  return { rocAuc: rocAuc(live, attacks), bonaFide: quantiles(live), attacks: quantiles(attacks), atApcer0: best(0), atApcer2Percent: best(0.02) };
}
