/**
 * Runs the built renderer in Debian's Chromium the way Electron would host it: served from a
 * local origin with the kiosk's CSP, `window.kiosk` built by the same code as the preload
 * (app/kioskApi.ts, bundled here), and every call going through main's real dispatcher via
 * Playwright's exposeBinding, with pictures carried beside it as bytes (bridgeBytes.ts). The camera
 * is Chromium's fake device fed from a file.
 */
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright';
import { CONTRACT_NAMES, type ContractName } from '../app/channels';
import type { Progress } from '../app/contract';
import type { Dispatch } from '../main/ipc/dispatcher';
import { APP_ORIGIN, rendererFileFor, rendererHeaders } from '../main/shell/policy';
import { BYTES_PATH, packBytes, unpackBytes } from './bridgeBytes';

const ROOT = resolve(import.meta.dirname, '..');
export const RENDERER_DIR = join(ROOT, 'dist', 'renderer');

/** The bytes in transit over the bridge (bridgeBytes.ts), each taken once and then zeroed. */
function createByteStore() {
  const held = new Map<string, Uint8Array>();
  let next = 0;
  return {
    put(bytes: Uint8Array): string {
      held.set(`${++next}`, bytes);
      return `${next}`;
    },
    take(id: string): Uint8Array {
      const bytes = held.get(id);
      held.delete(id);
      if (!bytes) throw new Error(`bridge: no bytes under ${id}`);
      return bytes;
    },
    clear() {
      for (const bytes of held.values()) bytes.fill(0);
      held.clear();
    },
  };
}
type ByteStore = ReturnType<typeof createByteStore>;

/** POST keeps the page's bytes for the binding to take; GET hands main's answer's bytes to the page. */
async function serveBytes(store: ByteStore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method === 'POST') {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    for (const chunk of chunks) chunk.fill(0);
    return void res.writeHead(200, { 'content-type': 'text/plain' }).end(store.put(body));
  }
  let bytes: Uint8Array;
  try {
    bytes = store.take(decodeURIComponent(req.url!.slice(BYTES_PATH.length)));
  } catch {
    return void res.writeHead(404).end();
  }
  // The store holds its own copy (put copies main's answer): sent as it is, then zeroed.
  res.writeHead(200, { 'content-type': 'application/octet-stream' });
  res.end(bytes, () => bytes.fill(0));
}

async function serveRenderer(dir: string, isolated: boolean, bytes: ByteStore): Promise<{ server: Server; origin: string }> {
  const server = createServer(async (req, res) => {
    if (req.url?.startsWith(BYTES_PATH)) return serveBytes(bytes, req, res);
    // The very mapping Electron's app:// handler uses (main/shell/policy.ts), on a local origin.
    const file = rendererFileFor(`${APP_ORIGIN}${new URL(req.url ?? '/', 'http://x').pathname}`, dir);
    if (!file) return void res.writeHead(404).end();
    try {
      const body = await readFile(file.path);
      res.writeHead(200, rendererHeaders(file.mimeType, { isolated }));
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** app/kioskApi.ts as a browser script, wired to the bindings below. */
async function apiScript(): Promise<string> {
  const result = await build({
    stdin: {
      contents: `
        import { buildKioskApi } from './app/kioskApi';
        import { BYTES_PATH, packBytes, unpackBytes } from './scripts/bridgeBytes';
        const post = async (bytes) => (await fetch(BYTES_PATH, { method: 'POST', body: bytes })).text();
        const get = async (id) => new Uint8Array(await (await fetch(BYTES_PATH + encodeURIComponent(id))).arrayBuffer());
        const listeners = new Map();
        window.__kioskEmit = (channel, payload) => (listeners.get(channel) ?? []).forEach((l) => l(payload));
        window.kiosk = buildKioskApi(
          async (channel, input) => unpackBytes(await window.__kioskInvoke(channel, await packBytes(input, post)), get),
          (channel, listener) => {
            listeners.set(channel, [...(listeners.get(channel) ?? []), listener]);
            return () => listeners.set(channel, (listeners.get(channel) ?? []).filter((l) => l !== listener));
          },
        );`,
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    write: false,
    platform: 'browser',
  });
  return result.outputFiles[0]!.text;
}

export interface KioskPage {
  page: Page;
  origin: string;
  /** Forward a progress event from main to the page, as webContents.send would. */
  emitProgress(progress: Progress): void;
  /**
   * main's own time on each call, from its arrival to its answer (ms): what a call took beyond
   * this is the bridge's (its binding's JSON and the bytes' round trips over loopback; Electron's IPC copies them).
   */
  calls: Array<{ channel: string; ms: number }>;
  close(): Promise<void>;
}

export interface BridgeOptions {
  fakeCamera?: string;
  headless?: boolean;
  /** Hands the trusted origin to the caller, which builds main's dispatcher for it. */
  dispatcherFor: (trustedOrigin: string) => Promise<Dispatch> | Dispatch;
  language?: string;
  /** false: the camera permission is refused, as when IT blocks it. */
  cameraAllowed?: boolean;
  /** false: served without COOP/COEP, as before issue 13 (single-threaded wasm): the guidance bench's baseline. */
  crossOriginIsolated?: boolean;
  /** Another build of the renderer (default dist/renderer): the guidance bench's baseline. */
  rendererDir?: string;
  /** Forces the face detector's backend (renderer/src/services/detector.ts), for the guidance bench. */
  detectorBackend?: 'webgl' | 'wasm';
  /** The screen's size in CSS pixels (default 1280×800, the smaller kiosk screen). */
  viewport?: { width: number; height: number };
}

export async function openKiosk(options: BridgeOptions): Promise<KioskPage> {
  const bytes = createByteStore();
  const { server, origin } = await serveRenderer(options.rendererDir ?? RENDERER_DIR, options.crossOriginIsolated ?? true, bytes);
  const dispatch = await options.dispatcherFor(origin);
  const browser: Browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: options.headless ?? true,
    args: [
      // Camera permission is granted to our origin below; the kiosk never shows a browser prompt.
      ...(options.cameraAllowed === false ? [] : ['--use-fake-ui-for-media-stream']),
      ...(options.fakeCamera ? ['--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${options.fakeCamera}`] : []),
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-dev-shm-usage',
      '--no-sandbox',
    ],
  });
  const context: BrowserContext = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 800 }, locale: options.language ?? 'en-US' });
  if (options.cameraAllowed !== false) await context.grantPermissions(['camera'], { origin });
  const names = new Set<string>(CONTRACT_NAMES);
  const calls: KioskPage['calls'] = [];
  await context.exposeBinding('__kioskInvoke', async (source, channel: string, input: unknown) => {
    const name = channel.replace(/^kiosk:/, '');
    if (!names.has(name)) return { ok: false, error: { code: 'invalid_request', message: 'unknown channel', retriable: false } };
    // Main receives bytes of its own, as IPC's copy would be: the POST's body, which the store took
    // out of the request and nothing else holds, as a plain Uint8Array. The page gets a copy of
    // main's answer taken now.
    const received = await unpackBytes(input, async (id) => {
      const held = bytes.take(id);
      return new Uint8Array(held.buffer, held.byteOffset, held.byteLength);
    });
    const started = performance.now();
    let answer: unknown;
    try {
      answer = await dispatch(name as ContractName, { url: source.frame.url(), isMainFrame: source.frame === source.page.mainFrame() }, received);
    } finally {
      calls.push({ channel: name, ms: performance.now() - started });
    }
    return packBytes(answer, async (b) => bytes.put(Uint8Array.from(b)));
  });
  await context.addInitScript({ content: await apiScript() });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('page error:', error.message));
  await page.goto(`${origin}/index.html${options.detectorBackend ? `?detector=${options.detectorBackend}` : ''}`);
  return {
    page,
    origin,
    calls,
    emitProgress(progress) {
      void page
        .evaluate((p) => (globalThis as unknown as { __kioskEmit(c: string, p: unknown): void }).__kioskEmit('kiosk:verification.progress', p), progress)
        .catch(() => undefined);
    },
    async close() {
      await browser.close();
      await new Promise((r) => server.close(r));
      bytes.clear();
    },
  };
}
