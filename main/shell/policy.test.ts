import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY,
  CONTENT_SECURITY_POLICY,
  rendererHeaders,
  auditDownloadPath,
  isBlockedShortcut,
  isNavigationAllowed,
  isPermissionAllowed,
  kioskWindowOptions,
  rendererFileFor,
} from './policy';

const dir = resolve('/opt/kiosk/renderer');

describe('rendererFileFor', () => {
  it('maps app://kiosk paths into the renderer folder with a MIME type', () => {
    expect(rendererFileFor('app://kiosk/index.html', dir)).toEqual({ path: join(dir, 'index.html'), mimeType: 'text/html; charset=utf-8' });
    expect(rendererFileFor('app://kiosk/', dir)?.path).toBe(join(dir, 'index.html'));
    expect(rendererFileFor('app://kiosk/models/face.wasm?x=1', dir)?.mimeType).toBe('application/wasm');
  });

  it('keeps a dot-dot path inside the folder (the URL parser resolves it first)', () => {
    expect(rendererFileFor('app://kiosk/../../secrets.json', dir)?.path).toBe(join(dir, 'secrets.json'));
    expect(rendererFileFor('app://kiosk/%2e%2e/%2e%2e/etc/passwd', dir)?.path).toBe(join(dir, 'etc', 'passwd'));
  });

  it('refuses encoded traversal, other hosts and other schemes', () => {
    for (const url of [
      'app://kiosk/..%2f..%2fetc/passwd',
      'app://kiosk/%E0%A4%A',
      'app://other/index.html',
      'file:///etc/passwd',
      'https://kiosk/index.html',
    ]) {
      expect(rendererFileFor(url, dir), url).toBeNull();
    }
  });
});

describe('isPermissionAllowed', () => {
  it('allows only video capture for our own page', () => {
    expect(isPermissionAllowed('media', 'app://kiosk/index.html', ['video'])).toBe(true);
    expect(isPermissionAllowed('media', 'app://kiosk/index.html', ['video', 'audio'])).toBe(false);
    expect(isPermissionAllowed('media', 'app://kiosk/index.html', [])).toBe(false);
    expect(isPermissionAllowed('media', 'https://evil.example/', ['video'])).toBe(false);
    for (const permission of ['geolocation', 'notifications', 'clipboard-read', 'openExternal', 'hid', 'usb']) {
      expect(isPermissionAllowed(permission, 'app://kiosk/index.html', ['video']), permission).toBe(false);
    }
  });
});

describe('navigation and CSP', () => {
  it('allows no navigation but to the kiosk page itself', () => {
    expect(isNavigationAllowed(APP_ENTRY)).toBe(true);
    for (const url of ['https://example.com', 'file:///etc/passwd', 'app://kiosk/other.html', 'javascript:alert(1)']) {
      expect(isNavigationAllowed(url), url).toBe(false);
    }
  });

  it('allows no remote origin and no eval, only WebAssembly compilation', () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|\*|'unsafe-eval'/);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self' blob: 'wasm-unsafe-eval'");
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
  });

  it('serves the renderer cross-origin isolated (threads for the wasm detector), its workers only from itself', () => {
    expect(rendererHeaders('text/html')).toEqual({
      'content-type': 'text/html',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
    });
    expect(CONTENT_SECURITY_POLICY).toContain("worker-src 'self' blob:");
    expect(rendererHeaders('text/html', { isolated: false })).not.toHaveProperty('cross-origin-embedder-policy');
  });
});

describe('isBlockedShortcut', () => {
  const key = (k: string, mods: Partial<{ control: boolean; alt: boolean; meta: boolean; shift: boolean }> = {}) => ({
    type: 'keyDown',
    key: k,
    control: false,
    alt: false,
    meta: false,
    shift: false,
    ...mods,
  });

  it('swallows close, reload, zoom, print and devtools combinations', () => {
    for (const input of [
      key('F4', { alt: true }),
      key('w', { control: true }),
      key('q', { meta: true }),
      key('r', { control: true }),
      key('F5'),
      key('F11'),
      key('F12'),
      key('I', { control: true, shift: true }),
      key('+', { control: true }),
      key('p', { control: true }),
      key('i', { meta: true, alt: true }),
      key('h', { meta: true }),
      key('m', { meta: true }),
      key(',', { meta: true }),
      key('u', { control: true }),
    ]) {
      expect(isBlockedShortcut(input), JSON.stringify(input)).toBe(true);
    }
  });

  it('lets ordinary typing through (the staff PIN and settings need it)', () => {
    for (const input of [
      key('1'),
      key('a'),
      key('Enter'),
      key('Backspace'),
      key('Tab'),
      key('a', { shift: true }),
      key('v', { control: true }),
      key('c', { meta: true }),
      key('a', { control: true }),
      { ...key('w', { control: true }), type: 'keyUp' },
    ]) {
      expect(isBlockedShortcut(input), JSON.stringify(input)).toBe(false);
    }
  });
});

describe('auditDownloadPath', () => {
  it("saves only the staff view's audit CSV, into the fixed folder, and refuses every other download", () => {
    expect(auditDownloadPath('blob:app://kiosk/5e0c1f3a', 'biointellic-audit-2026-11-27.csv', '/exports')).toBe('/exports/biointellic-audit-2026-11-27.csv');
    expect(auditDownloadPath('blob:app://kiosk/5e0c1f3a', '../../etc/passwd', '/exports')).toBeNull();
    expect(auditDownloadPath('blob:app://kiosk/5e0c1f3a', 'face.png', '/exports')).toBeNull();
    expect(auditDownloadPath('https://example.com/biointellic-audit-2026-11-27.csv', 'biointellic-audit-2026-11-27.csv', '/exports')).toBeNull();
  });
});

describe('kioskWindowOptions', () => {
  it('has no developer tools and no way out of kiosk mode in a packaged build, whatever the flags', () => {
    for (const windowed of [false, true]) {
      const options = kioskWindowOptions({ packaged: true, windowed, preload: '/app/preload.cjs' });
      expect(options).toMatchObject({ kiosk: true, fullscreen: true });
      expect(options.webPreferences).toMatchObject({ devTools: false, contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false });
    }
  });

  it('lets a developer have a window and developer tools in an unpackaged build', () => {
    const options = kioskWindowOptions({ packaged: false, windowed: true, preload: '/dev/preload.cjs' });
    expect(options).toMatchObject({ kiosk: false, fullscreen: false, webPreferences: { devTools: true, sandbox: true } });
  });
});
