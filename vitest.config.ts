import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests start private servers and real workers: give them time, and run files
    // in separate processes so one file's servers never meet another's.
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    setupFiles: ['test/support/noElectron.ts', 'test/support/privateDataFolder.ts'],
    server: { deps: { inline: ['electron-store'] } },
  },
});
