import type { BrowserWindowConstructorOptions } from 'electron';
import { extname, join, resolve, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../../app/contentSecurityPolicy';

/** The renderer's origin: a custom scheme, so no file:// page and no web page can pass for it. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'kiosk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

export { CONTENT_SECURITY_POLICY };

/**
 * Cross-origin isolation (COOP + COEP): it gives the renderer SharedArrayBuffer, which tfjs'
 * multi-threaded SIMD wasm backend needs (guidance at camera speed, issue 13). The renderer loads
 * nothing from another origin, so requiring CORP costs nothing.
 */
export const CROSS_ORIGIN_ISOLATION = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } as const;

/** The headers of every file the renderer is served, by Electron's app:// handler and by the Chromium bridge alike. */
export const rendererHeaders = (mimeType: string, options: { isolated?: boolean } = {}): Record<string, string> => ({
  'content-type': mimeType,
  'content-security-policy': CONTENT_SECURITY_POLICY,
  ...(options.isolated === false ? {} : CROSS_ORIGIN_ISOLATION),
});

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.mp3': 'audio/mpeg',
};

/** The file an app:// request maps to, or null when it is not ours or escapes the renderer folder. */
export function rendererFileFor(requestUrl: string, rendererDir: string): { path: string; mimeType: string } | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  const root = resolve(rendererDir);
  const path = resolve(root, `.${pathname === '/' ? '/index.html' : pathname}`);
  if (!path.startsWith(root + sep)) return null;
  return { path, mimeType: MIME[extname(path).toLowerCase()] ?? 'application/octet-stream' };
}

/** Only camera access, only for our own page: no microphone, location, notifications, USB… */
export function isPermissionAllowed(permission: string, requestingUrl: string, mediaTypes: readonly string[] = []): boolean {
  let origin: string;
  try {
    const url = new URL(requestingUrl);
    origin = `${url.protocol}//${url.host}`;
  } catch {
    return false;
  }
  if (origin !== APP_ORIGIN) return false;
  return permission === 'media' && mediaTypes.length > 0 && mediaTypes.every((type) => type === 'video');
}

/** Navigation away from the kiosk page, in any frame or window, is never allowed. */
export function isNavigationAllowed(targetUrl: string): boolean {
  return targetUrl === APP_ENTRY;
}

/** The parts of Electron's Input that decide whether a key combination is allowed. */
export interface KeyInput {
  type: string;
  key: string;
  control: boolean;
  alt: boolean;
  meta: boolean;
  shift: boolean;
}

/**
 * Key combinations a visitor could use to close, reload, zoom or inspect the kiosk window. In
 * kiosk mode they are swallowed; staff leave through the PIN-protected settings.
 */
export function isBlockedShortcut(input: KeyInput): boolean {
  if (input.type !== 'keyDown') return false;
  const key = input.key.toLowerCase();
  const command = input.control || input.meta;
  if (['f5', 'f11', 'f12'].includes(key)) return true;
  if (input.alt && key === 'f4') return true;
  // Close, quit, reload, new window/tab, print, save, open, zoom; macOS hide, minimise, preferences;
  // view source. Copy, paste and select-all stay: staff paste a service URL.
  if (command && ['w', 'q', 'r', 'n', 't', 'p', 's', 'o', '+', '-', '=', '0', 'h', 'm', ',', 'u'].includes(key)) return true;
  // Developer tools: Ctrl+Shift+I/J/C (Windows, Linux) and Cmd+Option+I/J/C (macOS).
  if (command && (input.shift || input.alt) && ['i', 'j', 'c'].includes(key)) return true;
  return false;
}

/**
 * Where a download may go: only the audit CSV the staff view exports (a blob of the kiosk's own
 * page), saved without a dialog into `folder`; anything else is refused (null), so no native
 * file dialog is reachable from the kiosk.
 */
export function auditDownloadPath(url: string, filename: string, folder: string): string | null {
  if (!url.startsWith(`blob:${APP_ORIGIN}/`)) return null;
  if (!/^biointellic-audit-\d{4}-\d{2}-\d{2}\.csv$/.test(filename)) return null;
  return join(folder, filename);
}

/**
 * The one window: kiosk and full screen unless a developer asked for a window (unpackaged builds
 * only), the renderer sandboxed with no Node, and developer tools only in unpackaged builds.
 */
export function kioskWindowOptions(options: { packaged: boolean; windowed: boolean; preload: string }): BrowserWindowConstructorOptions {
  const windowed = options.windowed && !options.packaged;
  return {
    kiosk: !windowed,
    fullscreen: !windowed,
    autoHideMenuBar: true,
    backgroundColor: '#0b1320',
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
      devTools: !options.packaged,
    },
  };
}
