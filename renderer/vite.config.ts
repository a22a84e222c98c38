import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

// The renderer is a static bundle: relative base so it loads from app://, file:// or serve's '/'.
export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    // `npm run dev:ui` proxies the contract to a running `deskstack serve` on :8080.
    proxy: { '/api': { target: 'http://127.0.0.1:8080', ws: true }, '/image': 'http://127.0.0.1:8080' },
  },
});
