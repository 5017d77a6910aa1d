import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  // Relative asset URLs: the packaged app serves the renderer from its own app:// origin.
  base: './',
  plugins: [react()],
  // Human (with tfjs) is one large chunk by nature; the app is loaded from disk, not a network.
  build: { outDir: '../dist/renderer', emptyOutDir: true, chunkSizeWarningLimit: 2500 },
});
