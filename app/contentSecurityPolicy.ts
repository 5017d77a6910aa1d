/**
 * The renderer's Content-Security-Policy, in one place: main's app:// handler and the Chromium
 * bridge send it as a header (main/shell/policy.ts), and the build writes it into index.html
 * (renderer/vite.config.ts). No remote origins, no eval; 'wasm-unsafe-eval' because the face
 * detector runs WebAssembly. Media and images may be blob:/data: since camera frames and captured
 * photos live in memory.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  // blob: only for tfjs' multi-threaded wasm: its thread workers are made from a blob of its own
  // code and load it again with importScripts, which a worker's inherited script-src governs.
  // A blob can only be made by script already running here, so no new way in.
  "script-src 'self' blob: 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' blob: data:",
  "worker-src 'self' blob:",
  "media-src 'self' blob: mediastream:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
].join('; ');
