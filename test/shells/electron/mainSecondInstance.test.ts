import { describe, expect, it, vi } from 'vitest';
import { fake, FakeTray, fakeState, resetFakeElectron } from './fakeElectron.js';

vi.mock('electron', async () => (await import('./fakeElectron.js')).fakeElectronModule());

describe('main.ts as a second instance', () => {
  it('quits at once, before setting anything up', async () => {
    resetFakeElectron();
    fakeState.hasSingleInstanceLock = false;
    await import('../../../src-main/shells/electron/main.js');
    expect(fake.app.quit).toHaveBeenCalledTimes(1);
    expect(fake.app.whenReady).not.toHaveBeenCalled();
    expect(fake.protocol.registerSchemesAsPrivileged).not.toHaveBeenCalled();
    expect(FakeTray.instances).toHaveLength(0);
  });
});
