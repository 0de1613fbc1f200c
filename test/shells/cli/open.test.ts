import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeepLink } from '../../../src-main/contract/deepLink.js';
import { appCandidates, runOpen, type OpenDeps } from '../../../src-main/shells/cli/open.js';
import { sendHandOff } from '../../../src-main/shells/cli/openClient.js';
import { startHandOffServer } from '../../../src-main/shells/electron/deepLinkServer.js';

/** `task-status open …`: handed to a running app over a real socket, or the app started with the same arguments. */
let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'task-status-open-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function deps(overrides: Partial<OpenDeps> = {}): OpenDeps & { said: string[] } {
  const said: string[] = [];
  return { socketPath: join(dir, 'open.sock'), send: sendHandOff, findApp: () => null, startApp: vi.fn(), say: (l) => said.push(l), said, ...overrides };
}

describe('task-status open', () => {
  it('shows the place in the running app', async () => {
    const got: DeepLink[] = [];
    const server = await startHandOffServer(join(dir, 'open.sock'), (l) => got.push(l));
    const d = deps();
    expect(await runOpen(['queue', '--name', 'emails', '--connection', 'prod'], d)).toBe(0);
    expect(got).toEqual([{ kind: 'queue', name: 'emails', connection: 'prod' }]);
    expect(d.said).toEqual(['shown in the running tray app']);
    expect(d.startApp).not.toHaveBeenCalled();
    await server.close();
  });

  it('starts the app with the same arguments when none runs', async () => {
    const d = deps({ findApp: () => '/opt/task-status/task-status' });
    expect(await runOpen(['task', '--id', 'abc'], d)).toBe(0);
    expect(d.startApp).toHaveBeenCalledWith('/opt/task-status/task-status', ['open', 'task', '--id', 'abc']);
    expect(d.said).toEqual(['started the tray app (/opt/task-status/task-status)']);
  });

  it('bad usage and no app to start are configuration errors (exit 2)', async () => {
    await expect(runOpen(['queue'], deps())).rejects.toMatchObject({ code: 'BAD_USAGE', detail: 'open queue needs --name' });
    await expect(runOpen(['task', '--id', 'x'], deps())).rejects.toMatchObject({ code: 'BAD_CONFIG', detail: expect.stringContaining('set TASK_STATUS_APP') });
  });

  it('looks for the app where electron-builder installs it, TASK_STATUS_APP first', () => {
    expect(appCandidates('linux', { TASK_STATUS_APP: '/x/app' }, '/home/ann')).toEqual(['/x/app', '/opt/task-status/task-status', '/home/ann/Applications/task-status.AppImage']);
    expect(appCandidates('darwin', {}, '/Users/ann')[0]).toBe('/Applications/task-status.app/Contents/MacOS/task-status');
    expect(appCandidates('win32', { LOCALAPPDATA: 'C:\\L' }, 'C:\\Users\\ann')[0]).toContain('task-status.exe');
  });
});
