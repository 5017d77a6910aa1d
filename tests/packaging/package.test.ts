/**
 * The packaging check that can run here (electron-builder cannot fetch Electron on these
 * machines): the builder config is valid against electron-builder's own schema, everything it
 * names exists, every model and wasm file the app loads at run time is inside the packaged file
 * set, and the bundled analysis worker really analyses a face. Needs `npm run build` first.
 */
import Ajv from 'ajv';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { licenceBack, passportPage } from '../../harness/testDocument';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { load } from 'js-yaml';
import { minimatch } from 'minimatch';
import { describe, expect, it } from 'vitest';
import { startEngine } from '../../engine/engine';
import { hashPassword } from '../../engine/http/users';
import { MINIFASNET } from '../../engine/analysis/antispoof';
import { faceCrop, livenessCapture } from '../../harness/faces';
import { post } from '../support/engineHost';
import { createKeytarStore } from '../../main/credentials/keychain';
import { createEmbeddedEngine } from '../../main/engine/embeddedEngine';
import { INTEGRITY_MANIFEST, verifyInstall } from '../../main/engine/installIntegrity';
import { silentLogger } from '../../main/log';

const ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const at = (...parts: string[]) => join(ROOT, ...parts);
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the builder's YAML, checked against its schema by the first test
const config = load(readFileSync(at('electron-builder.yml'), 'utf8')) as Record<string, any>;
const pkg = JSON.parse(readFileSync(at('package.json'), 'utf8')) as { main: string; dependencies: Record<string, string> };

/** The fixed directory a glob starts from ("dist/main/**" → "dist/main"). */
const baseOf = (pattern: string) => {
  const parts = pattern.split('/');
  const firstGlob = parts.findIndex((part) => /[*?{[]/.test(part));
  return parts.slice(0, firstGlob < 0 ? parts.length : firstGlob).join('/');
};

describe('electron-builder.yml', () => {
  it("is valid against electron-builder's own schema", () => {
    const schema = JSON.parse(readFileSync(at('node_modules/app-builder-lib/scheme.json'), 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    expect(validate(config) ? [] : validate.errors).toEqual([]);
  });

  it('names only paths that exist', () => {
    const named = [
      ...config.files.filter((f: string) => !f.startsWith('!')).map(baseOf),
      ...config.asarUnpack.map(baseOf),
      ...config.extraResources.map((r: { from: string }) => r.from),
      config.linux.icon,
      config.win.icon,
      config.mac.icon,
      config.mac.entitlements,
    ];
    expect(named.filter((path: string) => !existsSync(at(path)))).toEqual([]);
    expect(statSync(at('assets/icon.png')).size).toBeGreaterThan(1000);
  });

  it('unpacks from the archive only native add-ons and their libraries, wasm and model files, and every one the kiosk loads', () => {
    const walk = (dir: string): string[] =>
      readdirSync(at(dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(`${dir}/${e.name}`) : [`${dir}/${e.name}`]));
    const files = ['dist', ...['keytar', 'better-sqlite3', 'sharp', '@img', '@vladmandic/human', '@tensorflow'].map((p) => `node_modules/${p}`)].flatMap(walk);
    const unpacked = files.filter((f) => config.asarUnpack.some((pattern: string) => minimatch(f, pattern, { dot: true })));
    const binaryKind = /\.(node|wasm|so(\.\d+)*|dylib|dll)$/;
    const modelFile = /\/models\/.*\.(json|bin|otf)$/;
    expect(unpacked.filter((f) => !binaryKind.test(f) && !modelFile.test(f))).toEqual([]);
    const needed = [
      'node_modules/keytar/build/Release/keytar.node',
      'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
      ...files.filter((f) => /@img\/sharp-[^/]+\/lib\/.*\.(node|so\.[\d.]+)$/.test(f)),
      'node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm',
      'node_modules/@vladmandic/human/models/blazeface.bin',
      ...files.filter((f) => f.startsWith('dist/models/') && !f.endsWith('LICENSE')),
    ];
    expect(needed.length).toBeGreaterThanOrEqual(12);
    expect(needed.filter((f) => !unpacked.includes(f))).toEqual([]);
    expect(config.forceCodeSigning).toBe(true);
  });

  it('builds on a supported Electron (the latest three majors are supported; 45 is current)', () => {
    const installed = JSON.parse(readFileSync(at('node_modules/electron/package.json'), 'utf8')) as { version: string };
    expect(Number(installed.version.split('.')[0])).toBeGreaterThanOrEqual(45);
  });

  it('turns off the fuses Electron recommends for an app that runs no untrusted Node', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
    });
    expect(config.mac.extendInfo.NSCameraUsageDescription).toMatch(/camera|photograph/i);
  });
});

describe('the built app', () => {
  const packaged = (path: string) => config.files.some((f: string) => !f.startsWith('!') && path.startsWith(baseOf(f)));

  it('has the main, preload, worker and renderer bundles inside the packaged files', () => {
    for (const path of [pkg.main, 'dist/main/preload.cjs', 'dist/main/analysisWorker.mjs', 'dist/renderer/index.html']) {
      expect(existsSync(at(path)), path).toBe(true);
      expect(packaged(path), path).toBe(true);
    }
  });

  it('ships every detector model and wasm binary the renderer loads', () => {
    for (const model of ['blazeface', 'facemesh', 'iris']) {
      for (const ext of ['json', 'bin']) expect(existsSync(at('dist/renderer/models', `${model}.${ext}`)), `${model}.${ext}`).toBe(true);
    }
    for (const wasm of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm']) expect(existsSync(at('dist/renderer/wasm', wasm))).toBe(true);
  });

  it('has the engine models in production dependencies, which electron-builder packs', () => {
    for (const dep of ['@vladmandic/human', '@tensorflow/tfjs-backend-wasm', 'sharp', 'keytar', 'better-sqlite3'])
      expect(pkg.dependencies, dep).toHaveProperty(dep);
    for (const model of ['blazeface', 'facemesh', 'iris']) {
      expect(existsSync(at('node_modules/@vladmandic/human/models', `${model}.bin`)), model).toBe(true);
    }
  });

  it('ships the anti-spoofing models where the bundled worker loads them, each beside its licence', () => {
    const notices = readFileSync(at('THIRD_PARTY_NOTICES.md'), 'utf8');
    for (const model of MINIFASNET) {
      for (const file of ['model.json', 'weights.bin', 'LICENSE']) {
        const path = `dist/models/minifasnet/${model.name}/${file}`;
        expect(existsSync(at(path)), path).toBe(true);
        expect(packaged(path), path).toBe(true);
      }
      expect(readFileSync(at(`dist/models/minifasnet/${model.name}/LICENSE`), 'utf8')).toContain('Apache License');
      expect(notices, model.name).toContain(`dist/models/minifasnet/${model.name}/LICENSE`);
      // Vendored in the repository with its licence beside it, and named there too.
      expect(readFileSync(at(`engine/models/minifasnet/${model.name}/LICENSE`), 'utf8')).toContain('Apache License');
      expect(notices, model.name).toContain(`engine/models/minifasnet/${model.name}/LICENSE`);
    }
    // The worker resolves ../models from its own file: dist/main/analysisWorker.mjs → dist/models.
    expect(fileURLToPath(new URL('../models/minifasnet/', pathToFileURL(at('dist/main/analysisWorker.mjs'))))).toBe(at('dist/models/minifasnet/'));
  });

  it('ships the match descriptor where the bundled worker loads it, beside its licence', () => {
    for (const file of ['face_recognition_model-weights_manifest.json', 'face_recognition_model.bin', 'LICENSE']) {
      const path = `dist/models/face-recognition/${file}`;
      expect(existsSync(at(path)), path).toBe(true);
      expect(packaged(path), path).toBe(true);
    }
    const licence = readFileSync(at('dist/models/face-recognition/LICENSE'), 'utf8');
    expect(licence).toContain('public domain');
    expect(licence).toContain('MIT License');
    expect(readFileSync(at('THIRD_PARTY_NOTICES.md'), 'utf8')).toContain('dist/models/face-recognition/LICENSE');
    expect(fileURLToPath(new URL('../models/face-recognition/', pathToFileURL(at('dist/main/analysisWorker.mjs'))))).toBe(at('dist/models/face-recognition/'));
  });

  it('ships a third-party notices file naming every model the app runs and its licence', () => {
    expect(config.extraResources).toContainEqual({ from: 'THIRD_PARTY_NOTICES.md', to: 'THIRD_PARTY_NOTICES.md' });
    const notices = readFileSync(at('THIRD_PARTY_NOTICES.md'), 'utf8');
    const humanModels = readdirSync(at('node_modules/@vladmandic/human/models'))
      .filter((f) => f.endsWith('.json') && f !== 'models.json')
      .map((f) => f.replace('.json', ''));
    for (const name of [...MINIFASNET.map((m) => m.name), ...humanModels]) expect(notices, name).toMatch(new RegExp(name, 'i'));
    expect(notices).toContain('Apache-2.0');
    expect(notices).toContain('MIT');
  });

  it('loads nothing at run time that the package would not contain', () => {
    // esbuild's own record of what each bundle leaves to node_modules (scripts/build-main.mjs).
    const externals = JSON.parse(readFileSync(at('dist/main/externals.json'), 'utf8')) as Record<string, string[]>;
    const runtime = new Set(['electron', ...builtinModules, ...builtinModules.map((m) => `node:${m}`), ...Object.keys(pkg.dependencies)]);
    const packageOf = (s: string) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!);
    expect(Object.keys(externals).sort()).toEqual(['dist/main/analysisWorker.mjs', 'dist/main/index.cjs', 'dist/main/preload.cjs']);
    for (const [bundle, imports] of Object.entries(externals)) {
      expect(
        imports.map(packageOf).filter((p) => !runtime.has(p)),
        bundle,
      ).toEqual([]);
    }
    expect(externals['dist/main/preload.cjs']).toEqual(['electron']);
  });

  it('carries as production dependencies only what the bundles load from node_modules or the app reads as files', () => {
    const externals = JSON.parse(readFileSync(at('dist/main/externals.json'), 'utf8')) as Record<string, string[]>;
    const packageOf = (s: string) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!);
    const loaded = new Set(Object.values(externals).flat().map(packageOf));
    // Bundled into the worker, but their model and wasm files are read from node_modules; the MRZ's
    // traineddata is read as a file, and OpenCV.js is required by name at run time (main/document/openCv.ts).
    const readAsFiles = new Set(['@vladmandic/human', '@tensorflow/tfjs-backend-wasm', '@tesseract.js-data/eng', '@techstark/opencv-js']);
    expect(Object.keys(pkg.dependencies).filter((d) => !loaded.has(d) && !readAsFiles.has(d))).toEqual([]);
    // What Vite bundles into the renderer and what only tests use stay out of the installer.
    for (const bundled of ['react', 'react-dom', 'zustand', 'i18next', 'react-i18next', 'busboy'])
      expect(pkg.dependencies, bundled).not.toHaveProperty(bundled);
  });

  it('reads an ID document as main’s CommonJS bundle runs the reader: OpenCV.js and tesseract.js required from node_modules, ZXing bundled', async () => {
    // main/index.cjs needs Electron; its document reader is bundled here the same way (build-main.mjs's format and externals).
    const dir = await mkdtemp(at('dist', 'document-bundle-'));
    try {
      await writeFile(join(dir, 'passport.jpg'), await passportPage());
      await writeFile(join(dir, 'licence.jpg'), await licenceBack());
      await build({
        stdin: {
          contents: `const { createDocumentReader } = require(${JSON.stringify(at('main/document/documentReader.ts'))});
            const reader = createDocumentReader();
            const read = async (file) => (await reader.read(new Uint8Array(require('node:fs').readFileSync(file)), { wholeImage: true })).reading;
            Promise.all(process.argv.slice(2).map(read)).then(async (readings) => { console.log(JSON.stringify(readings)); await reader.close(); });`,
          resolveDir: ROOT,
          loader: 'ts',
        },
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        external: ['sharp', 'tesseract.js', '@techstark/opencv-js'],
        logLevel: 'error',
        outfile: join(dir, 'reader.cjs'),
      });
      const { stdout } = await run(process.execPath, [join(dir, 'reader.cjs'), join(dir, 'passport.jpg'), join(dir, 'licence.jpg')], { timeout: 60_000 });
      expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toMatchObject([
        { kind: 'passport', mrz: 'verified', fields: { documentNumber: 'X12345678' } },
        { kind: 'driving_licence', mrz: 'barcode', fields: { documentNumber: 'D1234562' } },
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it('lists every unpacked model and wasm file with its SHA-256, and the built-in engine never starts on a changed byte', async () => {
    const walk = (dir: string): string[] =>
      readdirSync(at(dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(`${dir}/${e.name}`) : [`${dir}/${e.name}`]));
    const shipped = ['dist', 'node_modules/@vladmandic/human/models', 'node_modules/@tensorflow/tfjs-backend-wasm', 'node_modules/tesseract.js-core'].flatMap(
      walk,
    );
    const unpackedModels = shipped.filter(
      (f) => /\.(wasm|bin|json|otf)$/.test(f) && config.asarUnpack.some((pattern: string) => minimatch(f, pattern, { dot: true })),
    );
    const { files } = JSON.parse(readFileSync(at(INTEGRITY_MANIFEST), 'utf8')) as { files: Record<string, string> };
    expect(unpackedModels.length).toBeGreaterThan(40);
    expect(unpackedModels.filter((f) => !(f in files))).toEqual([]);
    expect(Object.keys(files).filter((f) => !packaged(f) && !f.startsWith('node_modules/'))).toEqual([]);
    await expect(verifyInstall(ROOT)).resolves.toBe(Object.keys(files).length);

    // The liveness model with one byte changed, as someone who can write the install folder might.
    const model = 'dist/models/minifasnet/MiniFASNetV2/weights.bin';
    const original = readFileSync(at(model));
    const altered = Buffer.from(original);
    altered[1000] = altered[1000]! ^ 0xff;
    await writeFile(at(model), altered);
    try {
      await expect(verifyInstall(ROOT)).rejects.toMatchObject({ code: 'install_damaged', message: expect.stringContaining(model) });
      const embedded = createEmbeddedEngine({
        store: createKeytarStore(),
        dataDir: await mkdtemp(join(tmpdir(), 'kiosk-damaged-')),
        logger: silentLogger,
        start: startEngine,
        verifyInstall: () => verifyInstall(ROOT),
      });
      await expect(embedded.backend()).rejects.toMatchObject({ code: 'install_damaged' });
    } finally {
      await writeFile(at(model), original);
    }
  });

  it('analyses faces with the bundled worker, as the installed kiosk does', async () => {
    const engine = await startEngine({
      users: new Map([['kiosk', await hashPassword('pw')]]),
      debugDir: '/nonexistent',
      workers: 1,
      workerUrl: pathToFileURL(at('dist/main/analysisWorker.mjs')),
    });
    try {
      const token = await (
        await fetch(`${engine.url}/api/authenticate`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from('kiosk:pw').toString('base64')}` } })
      ).text();
      const { status, body } = await post(`${engine.url}/api/match`, token, {
        image1: { bytes: await faceCrop('A'), type: 'image/jpeg' },
        image2: { bytes: await faceCrop('A', { margin: 0.9, quality: 60 }), type: 'image/jpeg' },
      });
      expect(status).toBe(200);
      expect(body).toMatchObject({ service: 'MATCH', pass: true });
      // Liveness needs the vendored models from dist/models: a live face passes with their score.
      const live = await post(`${engine.url}/api/liveness`, token, { data: { bytes: await livenessCapture('C', 95), type: 'image/png' } });
      expect(live.status).toBe(200);
      expect(live.body).toMatchObject({ service: 'LIVENESS', pass: true });
    } finally {
      await engine.close();
    }
  }, 60_000);
});
