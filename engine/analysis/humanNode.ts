/**
 * Loads Human in Node. Only its wasm build works on these machines (tfjs-node downloads
 * libtensorflow at install); the package's exports map hides the build, so it is resolved by path.
 * Models and wasm binaries come from the installed packages: nothing is fetched from a network.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Config, Human } from '@vladmandic/human';
import { FACE_DETECTOR, FACE_MODULES_OFF } from '../../app/humanFace';

const require = createRequire(import.meta.url);

export function humanPaths() {
  const humanRoot = join(dirname(require.resolve('@vladmandic/human')), '..');
  return {
    build: join(humanRoot, 'dist', 'human.node-wasm.js'),
    models: join(humanRoot, 'models'),
    wasm: join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '/'),
  };
}

/** tfjs loads models with fetch(), which in Node cannot read file:// URLs: serve those from disk. */
function installFileFetch(): void {
  const marker = Symbol.for('biointellic.fileFetch');
  const holder = globalThis as unknown as Record<symbol, boolean>;
  if (holder[marker]) return;
  holder[marker] = true;
  const networkFetch = globalThis.fetch;
  globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!url.startsWith('file://')) return networkFetch(input, init);
    const body = await readFile(fileURLToPath(url));
    const type = url.endsWith('.json') ? 'application/json' : 'application/octet-stream';
    return new Response(body, { status: 200, headers: { 'content-type': type } });
  };
}

/**
 * `people` is Human's CenterNet object detector (COCO), used only for its "person" class by the
 * person check that MiniFASNet replaced: the benchmark's baseline and the eval's evidence, never
 * loaded by the engine itself. `description` is Human's faceres descriptor, which dlib's ResNet
 * (faceDescriptor.ts) replaced: only the descriptor bake-off loads it.
 */
export type EngineModels = 'detector' | 'mesh' | 'iris' | 'description' | 'people';

/**
 * The engine's configuration: only the models it uses, and every cache off because each request
 * is an unrelated still image (frame-to-frame caching would leak one visitor into the next).
 */
export function engineConfig(models: readonly EngineModels[] = ['detector', 'mesh', 'iris']): Partial<Config> {
  const on = (m: EngineModels) => models.includes(m);
  const still = { skipFrames: 0, skipTime: 0 };
  const paths = humanPaths();
  return {
    backend: 'wasm',
    wasmPath: paths.wasm,
    modelBasePath: pathToFileURL(`${paths.models}/`).href,
    debug: false,
    async: true,
    warmup: 'none',
    cacheSensitivity: 0,
    cacheModels: false,
    validateModels: false,
    filter: { enabled: false },
    gesture: { enabled: false },
    face: {
      enabled: on('detector'),
      detector: { ...FACE_DETECTOR, maxDetected: 5, iouThreshold: 0.1, ...still },
      mesh: { enabled: on('mesh') },
      iris: { enabled: on('iris'), ...still },
      description: { enabled: on('description'), ...still },
      ...FACE_MODULES_OFF,
    },
    // Every person-class box down to 5 % confidence: the person check keeps the one holding the face.
    object: { enabled: on('people'), modelPath: 'centernet.json', minConfidence: 0.05, maxDetected: 20, iouThreshold: 0.4, ...still },
    body: { enabled: false },
    hand: { enabled: false },
    segmentation: { enabled: false },
  };
}

export async function loadHuman(config: Partial<Config>): Promise<Human> {
  installFileFetch();
  const { Human: HumanClass } = require(humanPaths().build) as typeof import('@vladmandic/human');
  const human = new HumanClass(config);
  await human.load();
  await human.tf.ready();
  return human;
}
