import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import renderer from './src-renderer/vite.config.js';

/**
 * One build for the three Electron parts. The renderer output (out/renderer) is the very bundle
 * the web face (`task-status serve`) serves, so the browser tests exercise what the window shows.
 */
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'src-main/shells/electron/main.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // Sandboxed preloads cannot be ES modules.
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src-main/shells/electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  // The renderer's own config (src-renderer/vite.config.ts) is the single source of its build.
  renderer: {
    ...renderer,
    build: {
      ...renderer.build,
      minify: true,
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'src-renderer/index.html') } },
    },
  },
});
