import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { sri } from './sri-plugin.ts';

export default defineConfig({
  plugins: [react(), tailwindcss(), sri()],
  build: {
    outDir: 'dist',
    sourcemap: false,
    // dist/.vite/manifest.json lets scripts/bundle-size.mjs measure first-load JS per screen (not served).
    manifest: true,
    // Inlined assets would become data: URLs in CSS/JS; keep every asset a file the CSP and SRI cover.
    assetsInlineLimit: 0,
    // The entry must stay small (first load ≤ 150 KB gzip); screens are separate chunks.
    chunkSizeWarningLimit: 300,
  },
  server: { proxy: { '/api': { target: 'http://localhost:3000', ws: true } } },
});
