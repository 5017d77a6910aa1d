/**
 * `npm run eval -- --pairs DIR --spoof DIR [--bona-fide DIR] [--url URL --user U] [--json]`
 *
 * Runs a data set through any Biointellic URL (the built-in engine when no --url is given) and
 * prints match accuracy (FMR/FNMR at PASS ≥ 48, ROC AUC, failures to acquire) and presentation-
 * attack detection (APCER per attack type, BPCER, ISO/IEC 30107-3).
 *
 * Protocol. Match: each pair is normalised exactly as the kiosk does (fit 1024 px, ≤ 2 MB) and
 * sent once. Liveness: the kiosk's guidance brings every visitor to ~90 px between the pupils
 * before it captures, so each presentation is scaled to that distance (measured with the same
 * detector the engine uses), cut to at most 1920×1080 around the face, and sent as a PNG.
 * --bona-fide adds every image under DIR as a further bona fide presentation (e.g. the pairs
 * photos: real people photographed directly), reported as its own BPCER.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { KioskError } from '../app/errors';
import { FACE_RULES } from '../app/faceRules';
import { startEngine } from '../engine/engine';
import { analyze } from '../engine/analysis/analyze';
import { engineConfig, loadHuman } from '../engine/analysis/humanNode';
import { hashPassword } from '../engine/http/users';
import { createBiointellicClient, type BiointellicClient } from '../main/biointellic/client';
import { passwordFor } from '../main/cli/cli';
import { createKeytarStore, keychainAccount } from '../main/credentials/keychain';
import { normalizeForLiveness, normalizeForMatch } from '../main/imaging/normalize';
import { LIVENESS_PASS } from '../engine/analysis/scores';
import { atThreshold, rocAuc, thresholdForFalseAccept, thresholdForFalseReject } from './metrics';

const { values } = parseArgs({
  options: {
    pairs: { type: 'string' },
    spoof: { type: 'string' },
    'bona-fide': { type: 'string' },
    url: { type: 'string' },
    user: { type: 'string' },
    json: { type: 'boolean', default: false },
    concurrency: { type: 'string', default: '2' },
  },
});
if (!values.pairs && !values.spoof) {
  console.error('Usage: npm run eval -- --pairs DIR --spoof DIR [--url URL --user U] [--json]');
  process.exit(2);
}

const csv = async (path: string) => {
  const [header, ...rows] = (await readFile(path, 'utf8')).trim().split(/\r?\n/);
  const keys = header!.split(',');
  return rows.map((row) => Object.fromEntries(row.split(',').map((v, i) => [keys[i], v.trim()])) as Record<string, string>);
};

/** Runs `task` over `items` with at most `limit` in flight. */
async function mapLimit<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]!);
    }
  }));
  return results;
}

type Outcome = { score: number; pass: boolean } | { rejected: string };
async function attempt(run: () => Promise<{ score: number; pass: boolean }>): Promise<Outcome> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof KioskError && (error.code === 'face_rejected' || error.code.startsWith('image_'))) {
      return { rejected: error.service?.code ?? error.code };
    }
    throw error;
  }
}

const countBy = (codes: string[]) => codes.reduce<Record<string, number>>((acc, c) => ({ ...acc, [c]: (acc[c] ?? 0) + 1 }), {});

async function evalPairs(client: BiointellicClient, dir: string, concurrency: number) {
  const rows = await csv(join(dir, 'pairs.csv'));
  const outcomes = await mapLimit(rows, concurrency, async (row) => {
    const [a, b] = await Promise.all([readFile(join(dir, row.file_a!)), readFile(join(dir, row.file_b!))]);
    const same = row.same === '1' || row.same === 'true';
    return { same, outcome: await attempt(async () => client.match(await normalizeForMatch(a), await normalizeForMatch(b))) };
  });
  const scored = (same: boolean) => outcomes.filter((o) => o.same === same && 'score' in o.outcome).map((o) => (o.outcome as { score: number }).score);
  const genuine = scored(true);
  const impostor = scored(false);
  const failures = outcomes.filter((o) => 'rejected' in o.outcome).map((o) => (o.outcome as { rejected: string }).rejected);
  const pass = atThreshold(genuine, impostor, 48);
  return {
    pairs: { same: rows.filter((r) => r.same === '1' || r.same === 'true').length, different: rows.filter((r) => !(r.same === '1' || r.same === 'true')).length },
    compared: { same: genuine.length, different: impostor.length },
    failuresToAcquire: { count: failures.length, byCode: countBy(failures) },
    atPass48: { fmr: pass.falseAccept, fnmr: pass.falseReject },
    rocAuc: rocAuc(genuine, impostor),
    fmrAtMost1Percent: (({ threshold, falseAccept, falseReject }) => ({ threshold, fmr: falseAccept, fnmr: falseReject }))(thresholdForFalseAccept(genuine, impostor, 0.01)),
    genuineScores: summary(genuine),
    impostorScores: summary(impostor),
  };
}

function summary(scores: number[]) {
  const sorted = [...scores].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
  return { min: q(0), p10: q(0.1), median: q(0.5), p90: q(0.9), max: sorted.at(-1) ?? Number.NaN };
}

async function imagesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && /\.(jpe?g|png)$/i.test(e.name)).map((e) => join(e.parentPath, e.name)).sort();
}

async function evalSpoof(client: BiointellicClient, dir: string, extraBonaFide?: string) {
  const manifest = [
    ...(await csv(join(dir, 'manifest.csv'))).map((row) => ({ path: join(dir, row.file!), label: row.label!, attack_type: row.attack_type ?? '', extra: false })),
    ...(extraBonaFide ? await imagesUnder(extraBonaFide) : []).map((path) => ({ path, label: 'genuine', attack_type: '', extra: true })),
  ];
  const config = engineConfig(['detector', 'mesh', 'iris']);
  const human = await loadHuman(config);
  const results: Array<{ file: string; attack: string | null; extra: boolean; outcome: Outcome }> = [];
  for (const row of manifest) {
    const bytes = await readFile(row.path);
    const attack = row.label === 'attack' ? row.attack_type || 'unknown' : null;
    const face = (await analyze(human, config, bytes)).faces[0];
    const outcome: Outcome =
      !face || face.interpupillaryPx <= 0
        ? { rejected: 'FACE_NOT_FOUND' }
        : await attempt(async () => client.liveness((await normalizeForLiveness(await atKioskDistance(bytes, face))).bytes));
    results.push({ file: row.path, attack, extra: row.extra, outcome });
  }
  const scores = (filter: (r: (typeof results)[number]) => boolean) =>
    results.filter((r) => filter(r) && 'score' in r.outcome).map((r) => (r.outcome as { score: number }).score);
  const bonaFide = scores((r) => r.attack === null);
  const spoofSetBonaFide = scores((r) => r.attack === null && !r.extra);
  const extraBonaFideScores = scores((r) => r.extra);
  const types = [...new Set(results.flatMap((r) => (r.attack ? [r.attack] : [])))].sort();
  const perType = Object.fromEntries(types.map((t) => {
    const attacks = scores((r) => r.attack === t);
    return [t, { presentations: results.filter((r) => r.attack === t).length, scored: attacks.length, apcer: atThreshold(bonaFide, attacks, LIVENESS_PASS).falseAccept }];
  }));
  const allAttacks = scores((r) => r.attack !== null);
  const at = atThreshold(bonaFide, allAttacks, LIVENESS_PASS);
  const op = thresholdForFalseReject(bonaFide, allAttacks, 0.1);
  const failures = results.filter((r) => 'rejected' in r.outcome);
  return {
    bonaFide: { presentations: results.filter((r) => r.attack === null).length, scored: bonaFide.length, extra: extraBonaFideScores.length },
    threshold: LIVENESS_PASS,
    bpcer: at.falseReject,
    bpcerSpoofSet: atThreshold(spoofSetBonaFide, [], LIVENESS_PASS).falseReject,
    bpcerExtra: atThreshold(extraBonaFideScores, [], LIVENESS_PASS).falseReject,
    apcerPerType: perType,
    /** ISO/IEC 30107-3 reports the worst attack type as the system's APCER. */
    apcerWorstType: Math.max(...Object.values(perType).filter((p) => p.scored > 0).map((p) => p.apcer)),
    atBpcerAtMost10Percent: { threshold: op.threshold, bpcer: op.falseReject, apcerAllAttacks: op.falseAccept },
    rocAuc: rocAuc(bonaFide, allAttacks),
    bonaFideScores: summary(bonaFide),
    attackScores: summary(allAttacks),
    failuresToAcquire: { count: failures.length, byCode: countBy(failures.map((f) => (f.outcome as { rejected: string }).rejected)) },
  };
}

/** Scales a presentation so the pupils are ~90 px apart, cut to at most 1920×1080 around the face. */
async function atKioskDistance(bytes: Uint8Array, face: { box: { x: number; y: number; width: number; height: number }; interpupillaryPx: number }) {
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
  return sharp(scaled).extract({ left: clamp(cx - cutW / 2, width - cutW), top: clamp(cy - cutH / 2, height - cutH), width: cutW, height: cutH }).png().toBuffer();
}

async function main() {
  let url = values.url;
  let userId = values.user ?? 'eval';
  let password: () => Promise<string>;
  let stop = async () => {};
  if (url) {
    if (!values.user) throw new Error('--url needs --user');
    const account = keychainAccount(userId, url);
    password = () => passwordFor(account, { env: process.env, store: createKeytarStore() });
  } else {
    const secret = 'eval-only-password';
    const engine = await startEngine({ users: new Map([[userId, await hashPassword(secret)]]), debugDir: '/nonexistent-debug-off' });
    url = engine.url;
    password = async () => secret;
    stop = engine.close;
    userId = 'eval';
  }
  const client = createBiointellicClient({ baseUrl: url, userId, getPassword: password, timeoutMs: 120_000 });
  const started = Date.now();
  const report = {
    url: values.url ?? 'built-in engine',
    ...(values.pairs ? { match: await evalPairs(client, values.pairs, Number(values.concurrency)) } : {}),
    ...(values.spoof ? { liveness: await evalSpoof(client, values.spoof, values['bona-fide']) } : {}),
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
  await stop();
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else printReport(report);
}

const pct = (v: number) => (Number.isNaN(v) ? 'n/a' : `${(v * 100).toFixed(1)} %`);

function printReport(report: { url: string; match?: Awaited<ReturnType<typeof evalPairs>>; liveness?: Awaited<ReturnType<typeof evalSpoof>>; seconds: number }) {
  console.log(`Biointellic evaluation against ${report.url} (${report.seconds} s)`);
  const m = report.match;
  if (m) {
    console.log(`\nMatch: ${m.pairs.same} same-person and ${m.pairs.different} different-person pairs; compared ${m.compared.same} + ${m.compared.different}`);
    console.log(`  failures to acquire: ${m.failuresToAcquire.count} ${JSON.stringify(m.failuresToAcquire.byCode)}`);
    console.log(`  at PASS ≥ 48:  FMR ${pct(m.atPass48.fmr)}   FNMR ${pct(m.atPass48.fnmr)}   ROC AUC ${m.rocAuc.toFixed(4)}`);
    console.log(`  lowest score with FMR ≤ 1 %: ${m.fmrAtMost1Percent.threshold.toFixed(2)} (FMR ${pct(m.fmrAtMost1Percent.fmr)}, FNMR ${pct(m.fmrAtMost1Percent.fnmr)})`);
    console.log(`  genuine scores ${JSON.stringify(m.genuineScores)}\n  impostor scores ${JSON.stringify(m.impostorScores)}`);
  }
  const l = report.liveness;
  if (l) {
    console.log(`\nLiveness: ${l.bonaFide.presentations} bona fide presentations (${l.bonaFide.scored} scored), pass at ≥ ${l.threshold}`);
    console.log(`  BPCER ${pct(l.bpcer)} (spoof set ${pct(l.bpcerSpoofSet)}, ${l.bonaFide.extra} extra bona fide ${pct(l.bpcerExtra)})   ROC AUC ${l.rocAuc.toFixed(4)}   failures to acquire: ${l.failuresToAcquire.count} ${JSON.stringify(l.failuresToAcquire.byCode)}`);
    for (const [type, p] of Object.entries(l.apcerPerType)) console.log(`  APCER ${type.padEnd(8)} ${pct(p.apcer)}  (${p.scored} of ${p.presentations} scored)`);
    console.log(`  APCER (worst type) ${pct(l.apcerWorstType)}`);
    console.log(`  at BPCER ≤ 10 %: threshold ${l.atBpcerAtMost10Percent.threshold.toFixed(3)}, APCER (all attacks) ${pct(l.atBpcerAtMost10Percent.apcerAllAttacks)}`);
    console.log(`  bona fide scores ${JSON.stringify(l.bonaFideScores)}\n  attack scores ${JSON.stringify(l.attackScores)}`);
  }
}

main().catch((error: unknown) => {
  console.error(`eval: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(3);
});
