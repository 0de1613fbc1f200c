import { vi } from 'vitest';

/**
 * The Electron binary cannot run on the build machines, and an unmocked `import 'electron'`
 * tries to download it. Every test gets a module that fails loudly instead; tests of the
 * Electron shell replace it with their own fake through `vi.mock('electron', …)`.
 */
vi.mock('electron', () => {
  throw new Error('electron imported without a fake: use test/shells/electron/fakeElectron.ts');
});
