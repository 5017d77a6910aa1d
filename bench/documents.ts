/**
 * `npm run bench:documents -- --documents DIR [--json]`
 *
 * Each document image in DIR (flat scans or renders) as a camera at the counter would see it,
 * made here and never saved (harness/documentViews.ts): a 720p and a 1080p webcam, the card at
 * 20, 30 and 40 cm, held squarely, turned 20°, with glare, with a thumb over it, and blurred.
 * Every view goes through what the ID step does (bench/evalDocuments.ts) and the figures are
 * printed for flat images and camera views separately: document found, portrait found, MRZ read
 * with every check digit valid, fields equal to the flat image's, and the time from picture to
 * fields (confirmed fields compared; "wrong but valid" must stay 0).
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { cameraView, documentWidthMm, type ViewSpec } from '../harness/documentViews';
import { createDocumentReader, type DocumentConclusion } from './evalDocuments';
import { quantiles } from './metrics';

const { values } = parseArgs({ options: { documents: { type: 'string' }, json: { type: 'boolean', default: false } } });
if (!values.documents) {
  console.error('Usage: npm run bench:documents -- --documents DIR [--json]');
  process.exit(2);
}

const CAMERAS = { '720p': { width: 1280, height: 720 }, '1080p': { width: 1920, height: 1080 } } as const;
const CONDITIONS: Record<string, Partial<ViewSpec>> = {
  square: { yaw: 3, pitch: -4, roll: 2 },
  turned: { yaw: 20, pitch: -8, roll: -6 },
  glare: { yaw: -5, pitch: 6, roll: 3, glare: true },
  thumb: { yaw: 4, pitch: -3, roll: -4, hand: true },
  blurred: { yaw: -3, pitch: 3, roll: 1, blur: 1.5 },
};

type Row = DocumentConclusion & { camera: string; distanceCm: number; condition: string; sameFields: boolean };

const reader = await createDocumentReader();
const flat: DocumentConclusion[] = [];
const views: Row[] = [];
const files = (await readdir(values.documents)).filter((f) => /\.(jpe?g|png|webp)$/i.test(f)).sort();
for (const file of files) {
  const picture = await readFile(join(values.documents, file));
  const truth = await reader.conclude(file, picture, { wholeImage: true });
  flat.push(truth);
  const { width = 1, height = 1 } = await sharp(picture).metadata();
  const widthMm = documentWidthMm(file, width / height);
  let seed = 1;
  for (const [camera, frame] of Object.entries(CAMERAS)) {
    for (const distanceCm of [20, 30, 40]) {
      for (const [condition, spec] of Object.entries(CONDITIONS)) {
        const view = await cameraView(picture, widthMm, { frame, distanceCm, offset: { x: 0.05, y: -0.03 }, seed: seed++, ...spec });
        const seen = await reader.conclude(file, view.png, { wholeImage: false });
        view.png.fill(0);
        // A field a check digit confirmed must be the flat image's: "wrong but valid" counts the ones that are not.
        const read = seen.mrz?.fields as Record<string, unknown> | undefined;
        const flatRead = truth.mrz?.fields as Record<string, unknown> | undefined;
        const sameFields = (seen.mrz?.confirmed ?? []).every((k) => read?.[k] === flatRead?.[k]);
        views.push({ ...seen, camera, distanceCm, condition, sameFields });
        if (values.json) console.log(JSON.stringify(views.at(-1)));
      }
    }
  }
}
await reader.close();

const share = (rows: DocumentConclusion[], test: (r: DocumentConclusion) => boolean) => `${rows.filter(test).length}/${rows.length}`;
const ms = (rows: DocumentConclusion[]) => {
  const q = quantiles(rows.map((r) => r.readMs));
  return `p50 ${Math.round(q.median)} ms, p90 ${Math.round(q.p90)} ms`;
};
if (!values.json) {
  const withMrz = new Set(flat.filter((f) => f.mrz?.valid).map((f) => f.file));
  console.log(
    `Flat images (${flat.length}): found ${share(flat, (r) => r.documentFound)}, portrait ${share(flat, (r) => r.portraitPx !== null)}, MRZ valid ${share(flat, (r) => !!r.mrz?.valid)}; picture → fields ${ms(flat)}`,
  );
  const groups = [
    ['all camera views', views],
    ...Object.keys(CAMERAS).map((c) => [`${c}`, views.filter((v) => v.camera === c)] as const),
    ...[20, 30, 40].map((d) => [`${d} cm`, views.filter((v) => v.distanceCm === d)] as const),
    ...Object.keys(CONDITIONS).map((c) => [c, views.filter((v) => v.condition === c)] as const),
  ] as const;
  for (const [label, rows] of groups) {
    const mrzRows = rows.filter((r) => withMrz.has(r.file));
    const wrong = mrzRows.filter((r) => r.mrz?.valid && !(r as Row).sameFields).length;
    console.log(
      `${label.padEnd(17)} found ${share(rows, (r) => r.documentFound).padStart(6)}, portrait ${share(rows, (r) => r.portraitPx !== null).padStart(6)}, MRZ valid ${share(mrzRows, (r) => !!r.mrz?.valid).padStart(6)} (wrong but valid: ${wrong}); ${ms(rows)}`,
    );
  }
  const missed = views.filter((v) => !v.documentFound || v.portraitPx === null || (withMrz.has(v.file) && !v.mrz?.valid));
  for (const v of missed)
    console.log(
      `  missed: ${v.file} ${v.camera} ${v.distanceCm} cm ${v.condition}: ${!v.documentFound ? 'no document' : v.portraitPx === null ? 'no portrait' : v.mrz ? 'check digits fail' : 'no MRZ'}`,
    );
}
