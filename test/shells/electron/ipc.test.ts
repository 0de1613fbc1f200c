import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Api, ApiMethods } from '../../../src-main/contract/api.js';
import type { DashboardView } from '../../../src-main/contract/dashboard.js';
import { apiMethodNames, ipcChannel } from '../../../src-main/contract/endpoints.js';
import { forwardApiEvents, registerIpc } from '../../../src-main/shells/electron/ipc.js';
import { fake, resetFakeElectron } from './fakeElectron.js';

vi.mock('electron', async () => (await import('./fakeElectron.js')).fakeElectronModule());

const dashboard: DashboardView = { connections: [], generatedAt: 1_000_000 };
const app = 'app://task-status/index.html';

function fakeApi(): ApiMethods & { [K in keyof ApiMethods]: ReturnType<typeof vi.fn> } {
  return {
    getDashboard: vi.fn(async () => dashboard),
    getQueues: vi.fn(async () => {
      const error = Object.assign(new Error('not found'), { code: 'QUEUE_NOT_FOUND', detail: 'no queue named "x"', connection: 'prod' });
      throw error;
    }),
    getTask: vi.fn(async () => {
      throw new TypeError('boom');
    }),
  } as never;
}

describe('registerIpc', () => {
  beforeEach(resetFakeElectron);

  it('handles every Api method on its contract channel, and nothing else', () => {
    registerIpc(fake.ipcMain as never, fakeApi());
    expect([...fake.ipcMain.handlers.keys()]).toEqual(apiMethodNames.map(ipcChannel));
    expect(fake.ipcMain.handlers.has('task-status:getDashboard')).toBe(true);
  });

  it('answers our app:// window with the value', async () => {
    const api = fakeApi();
    registerIpc(fake.ipcMain as never, api);
    expect(await fake.ipcMain.invoke('task-status:getDashboard', app, { connection: 'prod' })).toEqual({ ok: true, value: dashboard });
    expect(api.getDashboard).toHaveBeenCalledWith({ connection: 'prod' });
  });

  it.each([
    ['a web page', 'https://evil.example/index.html'],
    ['a file:// page', 'file:///work/main/out/renderer/index.html'],
    ['another app:// host', 'app://evil/index.html'],
    ['a look-alike host', 'app://task-status.evil/index.html'],
    ['a frame that is gone', null],
  ])('refuses %s without calling the Api', async (_name, sender) => {
    const api = fakeApi();
    registerIpc(fake.ipcMain as never, api);
    expect(await fake.ipcMain.invoke('task-status:getDashboard', sender, {})).toEqual({
      ok: false, error: { code: 'PERMISSION_DENIED', detail: 'getDashboard: only the task-status window may call the Api' },
    });
    expect(api.getDashboard).not.toHaveBeenCalled();
  });

  it.each([
    ['getQueues', undefined, 'getQueues: arguments: Invalid input: expected object, received undefined'],
    ['getQueues', {}, 'getQueues: name: Invalid input: expected string, received undefined'],
    ['getQueues', { name: '' }, 'getQueues: name: Too small: expected string to have >=1 characters'],
    ['getQueues', { name: 'q', framework: 'resque' }, 'getQueues: framework: Invalid option: expected one of "celery"|"rq"|"bullmq"|"sidekiq"|"rabbitmq"'],
    ['getTask', { id: 'abc', extra: 1 }, 'getTask: arguments: Unrecognized key: "extra"'],
    ['getDashboard', { connection: 42 }, 'getDashboard: connection: Invalid input: expected string, received number'],
    ['getDashboard', 'prod', 'getDashboard: arguments: Invalid input: expected object, received string'],
  ] as const)('%s(%j) is refused as bad usage', async (method, args, detail) => {
    const api = fakeApi();
    registerIpc(fake.ipcMain as never, api);
    expect(await fake.ipcMain.invoke(ipcChannel(method), app, args)).toEqual({ ok: false, error: { code: 'BAD_USAGE', detail } });
    expect(api[method]).not.toHaveBeenCalled();
  });

  it('passes a coded error on as plain data, and codes anything else as INTERNAL', async () => {
    registerIpc(fake.ipcMain as never, fakeApi());
    const notFound = await fake.ipcMain.invoke('task-status:getQueues', app, { name: 'x' });
    expect(notFound).toStrictEqual({ ok: false, error: { code: 'QUEUE_NOT_FOUND', detail: 'no queue named "x"', connection: 'prod' } });
    expect(await fake.ipcMain.invoke('task-status:getTask', app, { id: 'abc' }))
      .toEqual({ ok: false, error: { code: 'INTERNAL', detail: 'getTask: boom' } });
  });
});

describe('forwardApiEvents', () => {
  it('sends each event on its channel until unsubscribed', () => {
    let listener: ((view: DashboardView) => void) | null = null;
    const api = { ...fakeApi(), onDidChangeDashboard: (l: (view: DashboardView) => void) => { listener = l; return () => { listener = null; }; }, onDidChangeAlerts: () => () => {} } as Api;
    const send = vi.fn();
    const stop = forwardApiEvents(api, send);
    listener!(dashboard);
    expect(send.mock.calls).toEqual([['task-status:onDidChangeDashboard', dashboard]]);
    stop();
    expect(listener).toBeNull();
  });
});
