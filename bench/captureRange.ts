/**
 * `npm run bench:range -- --video <dir> [--every S] [--json]`
 * `npm run bench:range -- --video <dir> --eyes [--every S]`
 *
 * The evidence behind guidance's distance range (app/captureGeometry.ts) and its soft rules. Every
 * MJPEG video in <dir> (a name containing "fake" is a replay), one frame every S seconds, is put
 * as a camera would see it at several distances (720p and 1080p views, the pupils N px apart),
 * then measured as the kiosk measures a capture, scaled by main as at capture, and scored by the
 * engine's liveness model. Printed per video, camera and distance: frames scored, the median and
 * p10 score, the share under the pass point (0.5), and the frames the engine refused; and, at the
 * middle distance, the eye openness and the face's light as guidance measures them. A closer
 * distance is an upscaled copy of the video's own pixels (a real camera would see more detail):
 * what this measures is the geometry (the liveness window's context, the downscale), not optics.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { distanceRange } from '../app/captureGeometry';
import { faceLight } from '../app/guidance';
import { analyze } from '../engine/analysis/analyze';
import { engineConfig } from '../engine/analysis/humanNode';
import { normalizeForLiveness } from '../main/imaging/normalize';
import { signalScorers } from './evalLiveness';
import { median, quantiles } from './metrics';
import { mjpegFramesEvery } from './mjpeg';
import { composeAround } from './visitFeeds';

const { values } = parseArgs({
  options: {
    video: { type: 'string' },
    every: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
    eyes: { type: 'boolean', default: false },
  },
});
if (!values.video) {
  console.error('Usage: npm run bench:range -- --video <dir> [--every S] [--json]');
  process.exit(2);
}

const CAMERAS = [
  { name: '720p', width: 1280, height: 720 },
  { name: '1080p', width: 1920, height: 1080 },
];
/** The far end, the old window's middle, and points through the range to its near end. */
const distancesFor = (height: number) => {
  const { minIpd, maxIpd } = distanceRange({ height });
  const span = maxIpd - minIpd;
  return [minIpd + 2, 90, minIpd + span / 3, minIpd + (2 * span) / 3, maxIpd * 0.95].map(Math.round);
};

const { human, checks } = await signalScorers();
const config = engineConfig(['detector', 'mesh', 'iris']);
const videos = (await readdir(values.video)).filter((f) => f.endsWith('.mjpeg')).sort();

if (values.eyes) {
  // --eyes: the eye openness (faceRules.ts) of every sampled frame of every live video, as the
  // engine measures it on the frame as it is: the evidence for GUIDANCE.minEyeOpenness. Each frame
  // under 0.2 is listed with its neighbours' values, so a blink (a dip over a few frames) can be
  // told from a face that reads low throughout.
  for (const file of videos.filter((f) => !/fake/i.test(f))) {
    const series: Array<{ t: number; open: number | null; yaw: number }> = [];
    for (const { t, bytes } of await mjpegFramesEvery(join(values.video, file), Number(values.every))) {
      const face = (await analyze(human, config, bytes, { maxSide: 4096 })).faces[0];
      series.push({ t, open: face?.eyeOpenness ?? null, yaw: face?.yawDeg ?? 0 });
    }
    const open = quantiles(series.map((f) => f.open).filter((v): v is number => v !== null));
    console.log(
      `${file}: ${open.n} frames with a face; eye openness min ${open.min.toFixed(3)}, p10 ${open.p10.toFixed(3)}, median ${open.median.toFixed(3)}, max ${open.max.toFixed(3)}`,
    );
    series.forEach((f, i) => {
      if (f.open !== null && f.open < 0.2)
        console.log(
          `  ${f.t.toFixed(2)} s: ${f.open.toFixed(3)} (yaw ${f.yaw.toFixed(0)}°; around it ${series
            .slice(Math.max(0, i - 3), i + 4)
            .map((g) => g.open?.toFixed(2) ?? '–')
            .join(' ')})`,
        );
    });
  }
  process.exit(0);
}

const rows = [];
const perFrame = [];
for (const file of videos) {
  const frames = await mjpegFramesEvery(join(values.video, file), Number(values.every));
  const attack = /fake/i.test(file);
  for (const camera of CAMERAS) {
    for (const ipd of distancesFor(camera.height)) {
      const scores: number[] = [];
      const refused: Record<string, number> = {};
      for (const { t, bytes } of frames) {
        const original = (await analyze(human, config, bytes, { maxSide: 4096 })).faces[0];
        if (!original || original.interpupillaryPx <= 0) continue;
        const meta = await sharp(bytes).metadata();
        const centre = { x: original.box.x + original.box.width / 2, y: original.box.y + original.box.height / 2 };
        const view = await composeAround(bytes, { width: meta.width!, height: meta.height! }, centre, ipd / original.interpupillaryPx, camera);
        // What the kiosk measures on its chosen frame (full size), then main's scaling.
        const seen = (await analyze(human, config, view)).faces[0];
        if (!seen) {
          refused.FACE_NOT_FOUND = (refused.FACE_NOT_FOUND ?? 0) + 1;
          continue;
        }
        // Guidance asks a face past the near end to move back; it is not sent.
        if (seen.interpupillaryPx > distanceRange(camera).maxIpd) {
          refused.TOO_CLOSE = (refused.TOO_CLOSE ?? 0) + 1;
          continue;
        }
        const sent = await normalizeForLiveness(view, { interpupillaryPx: seen.interpupillaryPx });
        const judged = await analyze(human, config, sent.bytes, { liveness: { score: checks.minifasnet!.score! } });
        if (judged.rejection) {
          refused[judged.rejection.code] = (refused[judged.rejection.code] ?? 0) + 1;
          continue;
        }
        scores.push(judged.live!);
        if (camera.name === '720p' && ipd === 90) {
          const face = judged.faces[0]!;
          const { data } = await sharp(sent.bytes)
            .extract({
              left: Math.max(0, Math.round(face.box.x)),
              top: Math.max(0, Math.round(face.box.y)),
              width: Math.min(Math.round(face.box.width), sent.width - Math.max(0, Math.round(face.box.x))),
              height: Math.min(Math.round(face.box.height), sent.height - Math.max(0, Math.round(face.box.y))),
            })
            .resize(96, 96, { fit: 'fill' })
            .greyscale()
            .raw()
            .toBuffer({ resolveWithObject: true });
          perFrame.push({
            file,
            t,
            live: judged.live!,
            eyeOpenness: face.eyeOpenness ?? null,
            yawDeg: face.yawDeg,
            pitchDeg: face.pitchDeg,
            light: faceLight(data),
          });
        }
      }
      const q = quantiles(scores);
      rows.push({
        file,
        attack,
        camera: camera.name,
        ipd,
        scored: scores.length,
        p10: Number(q.p10.toFixed(3)),
        median: Number(q.median.toFixed(3)),
        underHalf: scores.filter((s) => s < 0.5).length,
        refused,
      });
      if (!values.json) console.error(JSON.stringify(rows.at(-1)));
    }
  }
}

if (values.json) {
  console.log(JSON.stringify({ rows, perFrame }, null, 1));
} else {
  console.log('\n| video | camera | pupils (px) | scored | median | p10 | < 0.5 | refused |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows)
    console.log(
      `| ${r.file} | ${r.camera} | ${r.ipd} | ${r.scored} | ${r.median} | ${r.p10} | ${r.underHalf} | ${
        Object.entries(r.refused)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ') || '—'
      } |`,
    );
  const live = perFrame.filter((f) => !/fake/i.test(f.file));
  const eyes = quantiles(live.map((f) => f.eyeOpenness).filter((v): v is number => v !== null));
  const luma = quantiles(live.map((f) => f.light.mean));
  console.log(
    `\nLive frames at 720p, 90 px: ${live.length}; eye openness min ${eyes.min.toFixed(3)}, p10 ${eyes.p10.toFixed(3)}, median ${eyes.median.toFixed(3)}`,
  );
  console.log(
    `Face luma min ${luma.min.toFixed(0)}, p10 ${luma.p10.toFixed(0)}, median ${luma.median.toFixed(0)}; spread min ${quantiles(live.map((f) => f.light.spread)).min.toFixed(0)}; blown max ${quantiles(live.map((f) => f.light.blown)).max.toFixed(3)}; median live score ${median(live.map((f) => f.live)).toFixed(3)}`,
  );
  for (const f of live.filter((f) => (f.eyeOpenness ?? 1) < 0.15))
    console.log(`  low openness: ${f.file}@${f.t.toFixed(1)}s ${f.eyeOpenness!.toFixed(3)} live ${f.live.toFixed(2)}`);
}
