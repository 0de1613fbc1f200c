import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Api } from '../../../src-main/contract/api.js';
import type { DashboardView } from '../../../src-main/contract/dashboard.js';
import { apiEventNames, apiMethodNames } from '../../../src-main/contract/endpoints.js';
import { fake, resetFakeElectron } from './fakeElectron.js';
import '../../../src-main/shells/electron/preload.js';

vi.mock('electron', async () => (await import('./fakeElectron.js')).fakeElectronModule());

const dashboard: DashboardView = { connections: [], generatedAt: 1_000_000 };

// The preload ran once on import, as for a page; keep what it exposed before any reset.
const exposedOnLoad = fake.contextBridge.exposeInMainWorld.mock.calls.slice();
const bridge = exposedOnLoad[0]?.[1] as Api;

describe('preload bridge', () => {
  beforeEach(resetFakeElectron);

  it('exposes window.taskStatus with exactly the contract members, all functions', () => {
    expect(exposedOnLoad.map(([key]) => key)).toEqual(['taskStatus']);
    expect(Object.keys(bridge).sort()).toEqual([...apiMethodNames, ...apiEventNames].sort());
    expect(Object.values(bridge).every((member) => typeof member === 'function')).toBe(true);
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(bridge).not.toHaveProperty('invoke');
  });

  it('invokes a method on its channel with the argument object and unwraps the value', async () => {
    fake.ipcRenderer.answers.set('task-status:getDashboard', () => ({ ok: true, value: dashboard }));
    await expect(bridge.getDashboard({ connection: 'prod' })).resolves.toEqual(dashboard);
    expect(fake.ipcRenderer.invoke.mock.calls).toEqual([['task-status:getDashboard', { connection: 'prod' }]]);
  });

  it('rejects with the coded error main returned', async () => {
    const error = { code: 'QUEUE_NOT_FOUND', detail: 'no queue named "x"' };
    fake.ipcRenderer.answers.set('task-status:getQueues', () => ({ ok: false, error }));
    await expect(bridge.getQueues({ name: 'x' })).rejects.toEqual(error);
  });

  it('rejects with INTERNAL when main answers something else', async () => {
    fake.ipcRenderer.answers.set('task-status:getTask', () => ({ task: 'not a result' }));
    await expect(bridge.getTask({ id: 'a' })).rejects.toEqual({
      code: 'INTERNAL', detail: 'getTask: the main process answered with something that is not an ApiResult',
    });
  });

  it('passes only the payload of an event, and stops on unsubscribe', () => {
    const seen: unknown[][] = [];
    const unsubscribe = bridge.onDidChangeDashboard((...args: unknown[]) => seen.push(args));
    fake.ipcRenderer.deliver('task-status:onDidChangeDashboard', dashboard);
    unsubscribe();
    fake.ipcRenderer.deliver('task-status:onDidChangeDashboard', dashboard);
    expect(seen).toEqual([[dashboard]]);
    expect(fake.ipcRenderer.listenerCount('task-status:onDidChangeDashboard')).toBe(0);
  });
});

describe('preload imports', () => {
  it('imports electron and the contract only (it is bundled alone into a sandboxed CommonJS file)', async () => {
    const { readFile } = await import('node:fs/promises');
    const source = await readFile(new URL('../../../src-main/shells/electron/preload.ts', import.meta.url), 'utf8');
    const imports = [...source.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((path) => path !== 'electron' && !path!.startsWith('../../contract/'))).toEqual([]);
  });
});
