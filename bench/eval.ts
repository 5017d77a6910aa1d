/**
 * `npm run eval -- --documents DIR [--json]` or `npm run eval -- [--pairs DIR] [--spoof DIR [--video DIR] [--signals | --as-is]] [--lfw DIR --lfw-pairs FILE… [--degrade id|grey]] [--url URL --user U] [--json]`
 *
 * Runs a data set through any Biointellic URL (the built-in engine when no --url is given) and
 * prints match accuracy (FMR/FNMR at PASS ≥ 48, ROC AUC, failures to acquire) and presentation-
 * attack detection (ISO/IEC 30107-3: BPCER, APCER per attack type, per source and kind).
 *
 * Protocol. Match: each pair is normalised exactly as the kiosk does (fit 1024 px, ≤ 2 MB) and
 * sent once. Liveness: the kiosk's guidance brings every visitor to ~90 px between the pupils
 * before it captures, so each presentation (a still, or a frame every 0.25 s of each video in
 * --video) is scaled to that distance (measured with the same detector the engine uses), cut to
 * at most 1920×1080 around the face, and sent as a PNG (evalLiveness.ts).
 * --signals also scores each picture in process with MiniFASNet, the person check and their
 * fusion: the evidence for what `result` is. --as-is scores MiniFASNet in process on every
 * presentation as it is, with no scaling and no face rules: the reference pipeline's protocol,
 * to compare with its published figures (../shared/models/minifasnet/README.md).
 * --documents reads every image in DIR as the ID step would (evalDocuments.ts): document found
 * (corners), portrait size, the MRZ with every field and its check digits, expired or not; with
 * --json one JSON object per image, per line.
 * --lfw runs LFW's protocol on the built-in engine's analysis (evalLfw.ts): 10-fold accuracy, ROC
 * AUC, FNMR at FMR 1 % and 0.1 %, the rates at PASS ≥ 48 and failures to acquire.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { KioskError } from '../app/errors';
import { startEngine } from '../engine/engine';
import { hashPassword } from '../engine/http/users';
import { createBiointellicClient, type BiointellicClient } from '../main/biointellic/client';
import { passwordFor } from '../main/cli/cli';
import { createKeytarStore, keychainAccount } from '../main/credentials/keychain';
import { normalizeForMatch } from '../main/imaging/normalize';
import { LIVENESS_PASS, parseLivenessPass } from '../engine/analysis/scores';
import { figures, livenessReport, loadPresentations, scoreAsIs, scorePresentations, signalScorers } from './evalLiveness';
import { evalLfw, type Degrade } from './evalLfw';
import { createDocumentReader, type DocumentConclusion } from './evalDocuments';
import { readCsv } from './csv';
import { atThreshold, countBy, quantiles, rocAuc, thresholdForFalseAccept } from './metrics';

const { values } = parseArgs({
  options: {
    pairs: { type: 'string' },
    spoof: { type: 'string' },
    video: { type: 'string' },
    signals: { type: 'boolean', default: false },
    'as-is': { type: 'boolean', default: false },
    'liveness-pass': { type: 'string' },
    lfw: { type: 'string' },
    'lfw-pairs': { type: 'string', multiple: true },
    degrade: { type: 'string' },
    url: { type: 'string' },
    user: { type: 'string' },
    documents: { type: 'string' },
    json: { type: 'boolean', default: false },
    concurrency: { type: 'string', default: '2' },
  },
});
if (
  (!values.pairs && !values.spoof && !values.lfw && !values.documents) ||
  (values.lfw && !values['lfw-pairs']?.length) ||
  (values.degrade && !['id', 'grey'].includes(values.degrade))
) {
  console.error(
    'Usage: npm run eval -- --documents DIR [--json] | [--pairs DIR] [--spoof DIR [--video DIR] [--signals | --as-is]] [--lfw DIR --lfw-pairs FILE… [--degrade id|grey]] [--url URL --user U] [--json]',
  );
  process.exit(2);
}

/** Runs `task` over `items` with at most `limit` in flight. */
async function mapLimit<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await task(items[i]!);
      }
    }),
  );
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

/** Which images a pair holds: colour photos, the grey 150×150 `bbt_*` crops, or one of each. */
const pairKind = (row: Record<string, string>) => {
  const grey = [row.file_a!, row.file_b!].filter((f) => f.startsWith('bbt_')).length;
  return grey === 0 ? 'colour' : grey === 2 ? 'grey' : 'mixed';
};

async function evalPairs(client: BiointellicClient, dir: string, concurrency: number) {
  const rows = await readCsv(join(dir, 'pairs.csv'));
  const outcomes = await mapLimit(rows, concurrency, async (row) => {
    const [a, b] = await Promise.all([readFile(join(dir, row.file_a!)), readFile(join(dir, row.file_b!))]);
    const same = row.same === '1' || row.same === 'true';
    return { same, kind: pairKind(row), outcome: await attempt(async () => client.match(await normalizeForMatch(a), await normalizeForMatch(b))) };
  });
  const kinds = [...new Set(outcomes.map((o) => o.kind))].sort();
  return { ...matchFigures(outcomes), perKind: Object.fromEntries(kinds.map((k) => [k, matchFigures(outcomes.filter((o) => o.kind === k))])) };
}

function matchFigures(outcomes: ReadonlyArray<{ same: boolean; outcome: Outcome }>) {
  const scored = (same: boolean) => outcomes.filter((o) => o.same === same && 'score' in o.outcome).map((o) => (o.outcome as { score: number }).score);
  const genuine = scored(true);
  const impostor = scored(false);
  const failures = outcomes.filter((o) => 'rejected' in o.outcome).map((o) => (o.outcome as { rejected: string }).rejected);
  const pass = atThreshold(genuine, impostor, 48);
  return {
    pairs: { same: outcomes.filter((o) => o.same).length, different: outcomes.filter((o) => !o.same).length },
    compared: { same: genuine.length, different: impostor.length },
    failuresToAcquire: { count: failures.length, byCode: countBy(failures) },
    atPass48: {
      fmr: pass.falseAccept,
      fnmr: pass.falseReject,
      falseMatches: impostor.filter((s) => s >= 48).length,
      falseNonMatches: genuine.filter((s) => s < 48).length,
    },
    rocAuc: rocAuc(genuine, impostor),
    fmrAtMost1Percent: (({ threshold, falseAccept, falseReject }) => ({ threshold, fmr: falseAccept, fnmr: falseReject }))(
      thresholdForFalseAccept(genuine, impostor, 0.01),
    ),
    genuineScores: quantiles(genuine),
    impostorScores: quantiles(impostor),
  };
}

async function evalSpoof(client: BiointellicClient, dir: string, threshold: number) {
  const list = await loadPresentations(dir, values.video);
  const results = values['as-is']
    ? await scoreAsIs(list)
    : await scorePresentations(list, (png) => attempt(() => client.liveness(png)), values.signals ? { signals: await signalScorers() } : {});
  return { protocol: values['as-is'] ? 'as-is, in process (reference protocol)' : 'kiosk distance, through the engine', ...livenessReport(results, threshold) };
}

const livenessPass = parseLivenessPass(values['liveness-pass']);

async function main() {
  if (values.documents) return evalDocumentsDir(values.documents, values.json);
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
    const engine = await startEngine({
      users: new Map([[userId, await hashPassword(secret)]]),
      debugDir: '/nonexistent-debug-off',
      ...(livenessPass === undefined ? {} : { livenessPass }),
    });
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
    ...(values.spoof ? { liveness: await evalSpoof(client, values.spoof, livenessPass ?? LIVENESS_PASS) } : {}),
    ...(values.lfw
      ? {
          lfw: await evalLfw({
            dir: values.lfw,
            pairsFiles: values['lfw-pairs']!,
            workers: Number(values.concurrency),
            ...(values.degrade ? { degrade: values.degrade as Degrade } : {}),
          }),
        }
      : {}),
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
  await stop();
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else printReport(report);
}

const IMAGE = /\.(jpe?g|png|webp)$/i;

async function evalDocumentsDir(dir: string, json: boolean) {
  const reader = await createDocumentReader();
  const files = (await readdir(dir)).filter((f) => IMAGE.test(f)).sort();
  const all: DocumentConclusion[] = [];
  for (const file of files) {
    // A picture given here is a scan or a photo staff import: with no edge found, the whole picture is the document.
    const conclusion = await reader.conclude(file, await readFile(join(dir, file)), { wholeImage: true });
    all.push(conclusion);
    if (json) console.log(JSON.stringify(conclusion));
    else printDocument(conclusion);
  }
  await reader.close();
  if (!json) {
    const count = (f: (c: DocumentConclusion) => boolean) => `${all.filter(f).length}/${all.length}`;
    console.log(
      `\nfound ${count((c) => c.documentFound)}, portrait ${count((c) => c.portraitPx !== null)}, MRZ read ${count((c) => c.mrz !== null)}, every check digit valid ${count((c) => !!c.mrz?.valid)}`,
    );
  }
}

function printDocument(c: DocumentConclusion) {
  const m = c.mrz;
  console.log(
    `${c.file}: ${c.documentFound ? 'document found' : 'NO DOCUMENT'}; portrait ${c.portraitPx ?? 'none'} px; ${m ? `MRZ ${m.format} ${m.valid ? 'valid' : 'CHECK DIGITS FAIL'}` : 'no MRZ'}; ${c.expired === null ? 'expiry unknown' : c.expired ? 'EXPIRED' : 'not expired'}; ${Math.round(c.readMs)} ms`,
  );
  if (m) for (const [k, v] of Object.entries(m.fields)) console.log(`    ${k.padEnd(15)} ${v ?? '—'}${m.confirmed.includes(k) ? '  (check digit)' : ''}`);
}

const pct = (v: number, digits = 1) => (Number.isNaN(v) ? 'n/a' : `${(v * 100).toFixed(digits)} %`);

function printReport(report: {
  url: string;
  match?: Awaited<ReturnType<typeof evalPairs>>;
  liveness?: Awaited<ReturnType<typeof evalSpoof>>;
  lfw?: Awaited<ReturnType<typeof evalLfw>>;
  seconds: number;
}) {
  console.log(`Biointellic evaluation against ${report.url} (${report.seconds} s)`);
  const m = report.match;
  if (m) {
    console.log(`\nMatch: ${m.pairs.same} same-person and ${m.pairs.different} different-person pairs; compared ${m.compared.same} + ${m.compared.different}`);
    console.log(`  failures to acquire: ${m.failuresToAcquire.count} ${JSON.stringify(m.failuresToAcquire.byCode)}`);
    console.log(`  at PASS ≥ 48:  FMR ${pct(m.atPass48.fmr)}   FNMR ${pct(m.atPass48.fnmr)}   ROC AUC ${m.rocAuc.toFixed(4)}`);
    console.log(
      `  lowest score with FMR ≤ 1 %: ${m.fmrAtMost1Percent.threshold.toFixed(2)} (FMR ${pct(m.fmrAtMost1Percent.fmr)}, FNMR ${pct(m.fmrAtMost1Percent.fnmr)})`,
    );
    console.log(`  genuine scores ${JSON.stringify(m.genuineScores)}\n  impostor scores ${JSON.stringify(m.impostorScores)}`);
    for (const [kind, k] of Object.entries(m.perKind)) {
      console.log(
        `  ${kind.padEnd(7)} pairs ${k.compared.same}/${k.pairs.same} same, ${k.compared.different}/${k.pairs.different} different compared; at PASS ≥ 48: FMR ${pct(k.atPass48.fmr)} (${k.atPass48.falseMatches}), FNMR ${pct(k.atPass48.fnmr)} (${k.atPass48.falseNonMatches}); AUC ${num(k.rocAuc)}; failures to acquire ${k.failuresToAcquire.count}`,
      );
    }
  }
  if (report.liveness) printLiveness(report.liveness);
  if (report.lfw) printLfw(report.lfw);
}

const num = (v: number) => (Number.isNaN(v) ? 'n/a' : v.toFixed(3));
const q = (s: ReturnType<typeof quantiles>) => `n ${s.n} min ${num(s.min)} p10 ${num(s.p10)} median ${num(s.median)} max ${num(s.max)}`;

function printLiveness(l: Awaited<ReturnType<typeof evalSpoof>>) {
  console.log(`\nLiveness (${l.protocol}), pass at ≥ ${l.threshold}`);
  const row = (label: string, f: ReturnType<typeof figures>) => {
    console.log(
      `  ${label.padEnd(26)} bona fide ${f.bonaFide.scored}/${f.bonaFide.presentations}  attacks ${f.attacks.scored}/${f.attacks.presentations}  BPCER ${pct(f.bpcer).padStart(7)}  APCER ${pct(f.apcer).padStart(7)}  AUC ${num(f.rocAuc)}  refused ${JSON.stringify(f.refused)}`,
    );
    console.log(`  ${''.padEnd(26)} bona fide ${q(f.bonaFideScores)} | attacks ${q(f.attackScores)}`);
  };
  row('camera frames, all', l.cameraFrames);
  if (l.cameraFramesWithinGuidance) row('  within guidance pose', l.cameraFramesWithinGuidance);
  for (const [type, f] of Object.entries(l.perAttackType)) row(`camera frames, ${type}`, f);
  for (const [key, f] of Object.entries(l.perSource)) row(key, f);
  for (const [name, s] of Object.entries(l.signals ?? {})) {
    console.log(
      `  signal ${name}: AUC ${num(s.rocAuc)}; at APCER 0: threshold ${num(s.atApcer0.threshold)} BPCER ${pct(s.atApcer0.bpcer)}; at APCER ≤ 2 %: threshold ${num(s.atApcer2Percent.threshold)} BPCER ${pct(s.atApcer2Percent.bpcer)} APCER ${pct(s.atApcer2Percent.apcer)}`,
    );
    console.log(`    bona fide ${q(s.bonaFide)} | attacks ${q(s.attacks)}`);
  }
}

function printLfw(reports: Awaited<ReturnType<typeof evalLfw>>) {
  for (const [file, l] of Object.entries(reports)) {
    const { mean, std } = l.accuracy10Fold;
    console.log(
      `\nLFW protocol, ${file}${values.degrade ? ` (second image degraded as an ID portrait: ${values.degrade})` : ''}: ${l.pairs.same} same-person and ${l.pairs.different} different-person pairs`,
    );
    console.log(
      `  accuracy (10-fold) ${pct(mean)} ± ${pct(std)}   ROC AUC ${num(l.rocAuc)}   failures to acquire: ${l.failuresToAcquire.pairs} pairs ${JSON.stringify(l.failuresToAcquire.byCode)}`,
    );
    console.log(
      `  at PASS ≥ 48: FMR ${pct(l.atPass48.fmr)} (pairs file), ${pct(l.atPass48.fmrOnImpostorPool, 3)} (${Math.round(l.atPass48.fmrOnImpostorPool * l.impostorPool)} of ${l.impostorPool} impostor pairs)   FNMR ${pct(l.atPass48.fnmr)}, ${pct(l.atPass48.fnmrWithFailures)} counting failures to acquire`,
    );
    for (const [label, r] of [
      ['FMR ≤ 1 %', l.atFmr1Percent],
      ['FMR ≤ 0.1 %', l.atFmr01Percent],
      ['FMR ≤ 0.01 %', l.atFmr001Percent],
    ] as const) {
      console.log(`  at ${label} (impostor pool): cosine ≥ ${num(r.cosine)} (score ${r.score.toFixed(1)}), FNMR ${pct(r.fnmr)} (FMR ${pct(r.fmr, 2)})`);
    }
    const c = l.impostorCosines;
    console.log(`  impostor pool cosines: median ${num(c.median)}, 99.9th percentile ${num(c.p999)}, highest ${num(c.max)}`);
  }
}

main().catch((error: unknown) => {
  console.error(`eval: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(3);
});
