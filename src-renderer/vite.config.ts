import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

/**
 * The renderer alone, with the same root and output as electron.vite.config.ts: for building
 * the web face's bundle when the Electron entries are not wanted (`npx vite build --config
 * src-renderer/vite.config.ts`).
 */
const here = decodeURIComponent(new URL('.', import.meta.url).pathname);

export default defineConfig({
  root: here,
  base: './',
  plugins: [svelte({ configFile: `${here}../svelte.config.js` })],
  build: {
    outDir: `${here}../out/renderer`,
    emptyOutDir: true,
  },
});
