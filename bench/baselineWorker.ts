/**
 * The benchmark's baselines as an analysis worker (`npm run bench:engine`, through the pool's
 * worker URL): 'stock' is Human's default configuration as it comes (it has no liveness answer);
 * 'stock+person' adds the person check MiniFASNet replaced (engine/analysis/presence.ts).
 */
import { workerData } from 'node:worker_threads';
import type { Config } from '@vladmandic/human';
import { analyze, type LivenessCheck } from '../engine/analysis/analyze';
import { engineConfig, humanPaths, loadHuman } from '../engine/analysis/humanNode';
import { personScore } from '../engine/analysis/presence';
import { serveAnalyses, warmUpImage } from '../engine/analysis/workerProtocol';
import { pathToFileURL } from 'node:url';

export type Baseline = 'stock' | 'stock+person';
const baseline = (workerData as { baseline: Baseline }).baseline;

/** Human as it comes, only pointed at the installed models and wasm, caching off as for unrelated stills. */
function stockConfig(): Partial<Config> {
  const paths = humanPaths();
  return { backend: 'wasm', wasmPath: paths.wasm, modelBasePath: pathToFileURL(`${paths.models}/`).href, debug: false, cacheSensitivity: 0 };
}

const human = await loadHuman(stockConfig());
// Human merges each call's configuration into its own and keeps it: the stock baselines pass the
// whole default configuration every time, so the person check's settings never leak into them.
const defaults = JSON.parse(JSON.stringify(human.config)) as Config;
const people = engineConfig(['people']);
const liveness: LivenessCheck = baseline === 'stock+person' ? { score: (image, face) => personScore(human, people, image, face) } : {};
await analyze(human, defaults, await warmUpImage());

serveAnalyses((task) => analyze(human, defaults, task.bytes, task.kind === 'liveness' ? { liveness } : { retryIfNoFace: true }));
