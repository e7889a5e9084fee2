import react from '@vitejs/plugin-react';
import { defineConfig, loadEnv } from 'vite';

/** This folder, so `npx vite build --config web/vite.config.ts` works from the repository root. */
const root = decodeURIComponent(new URL('.', import.meta.url).pathname);

export default defineConfig(({ mode }) => {
  // The API server the dev server forwards to: `npm start`'s port unless CHATMARK_API_URL says otherwise.
  const api = loadEnv(mode, root, 'CHATMARK_').CHATMARK_API_URL ?? 'http://localhost:8080';
  return {
    root,
    base: '/',
    plugins: [react()],
    build: { outDir: 'dist', emptyOutDir: true },
    server: {
      proxy: { '/api': api, '/healthz': api, '/openapi.json': api },
    },
  };
});
