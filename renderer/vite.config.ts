import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { CONTENT_SECURITY_POLICY } from '../app/contentSecurityPolicy.ts';

/**
 * The page's own copy of the policy main and the bridge send as a header (app/contentSecurityPolicy.ts),
 * so the two can never differ: a meta policy stricter than the header silently wins (it once
 * blocked the wasm threads' workers). frame-ancestors is a header-only directive.
 */
const contentSecurityPolicyMeta = (): Plugin => ({
  name: 'content-security-policy-meta',
  transformIndexHtml: () => [
    {
      tag: 'meta',
      attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY.replace(/;\s*frame-ancestors[^;]*/, '') },
      injectTo: 'head-prepend',
    },
  ],
});

export default defineConfig({
  root: import.meta.dirname,
  // Relative asset URLs: the packaged app serves the renderer from its own app:// origin.
  base: './',
  plugins: [react(), contentSecurityPolicyMeta()],
  // Human (with tfjs) is one large chunk by nature; the app is loaded from disk, not a network.
  // Not minified: tfjs starts its wasm threads from the text of one of its functions
  // (Function.toString) run in a worker, and the minified text named what only the bundle defines
  // ("e is not defined": every thread died). Loaded from disk, the size costs little.
  build: { outDir: '../dist/renderer', emptyOutDir: true, chunkSizeWarningLimit: 6000, minify: false },
});
