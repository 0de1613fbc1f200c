// Lint, and the layer rules of design/ARCHITECTURE.md ("who may import whom") as lint errors,
// the way VS Code checks its common/node/electron folders.
import tseslint from 'typescript-eslint';

const layer = (files, patterns, message) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }] },
});

const frameworks = ['celery', 'rq', 'bullmq', 'sidekiq', 'rabbitmq'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'release/**', 'test-results/**', '**/*.svelte', 'scripts/**', 'dist-bench/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  layer(['src-main/contract/**'], ['node:*', 'electron', '../*', '!./*'], 'contract imports only contract (ARCHITECTURE.md layers)'),
  layer(['src-main/core/**'], ['node:*', 'electron', '**/io/**', '**/probes/**', '**/monitor/**', '**/bootstrap/**', '**/shells/**', 'ioredis'],
    'core is pure: contract and core only, no I/O'),
  layer(['src-main/io/**'], ['electron', '**/probes/**', '**/monitor/**', '**/bootstrap/**', '**/shells/**'], 'io may import contract, core, node and client libraries'),
  ...frameworks.map((fw) => layer([`src-main/probes/${fw}/**`],
    ['electron', '**/monitor/**', '**/bootstrap/**', '**/shells/**', 'ioredis', ...frameworks.filter((o) => o !== fw).map((o) => `**/probes/${o}/**`), ...frameworks.filter((o) => o !== fw).map((o) => `../${o}/**`)],
    'a probe imports contract, core, io interfaces, probes/probe.ts and probes/shared, never a sibling')),
  layer(['src-main/monitor/**'], ['electron', '**/bootstrap/**', '**/shells/**', 'ioredis', ...frameworks.map((fw) => `**/probes/${fw}/**`)],
    'monitor gets probes through the registry, never a concrete one'),
  layer(['src-main/bootstrap/**'], ['electron', '**/shells/**'], 'bootstrap wires the layers; it does not know the shells'),
  layer(['src-main/shells/cli/**'], ['electron', '**/shells/electron/**', '../web/!(webServer|loopback).js'], 'cli may start web only through its entry file'),
  layer(['src-main/shells/web/**'], ['electron', '**/shells/electron/**', '**/shells/cli/**'], 'the shells do not import each other'),
  layer(['src-renderer/**'], ['node:*', 'electron', '**/src-main/!(contract)/**'], 'the renderer imports src-main only via contract'),
);
