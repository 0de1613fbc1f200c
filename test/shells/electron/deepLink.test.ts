import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { sendHandOff } from '../../../src-main/shells/cli/openClient.js';

vi.mock('electron', () => ({}));

const { launchLink, setupDeepLinks, setupSingleInstanceLink } = await import('../../../src-main/shells/electron/deepLink.js');

class FakeApp extends EventEmitter {
  lock = true;
  readonly requestSingleInstanceLock = vi.fn((_data: unknown) => this.lock);
  readonly quit = vi.fn();
}

describe('deep links in the tray app', () => {
  it('reads the link from the app\'s own arguments, packaged or `electron .`', () => {
    expect(launchLink(['/opt/task-status/task-status', 'open', 'queue', '--name', 'q'], false)).toEqual({ kind: 'queue', name: 'q' });
    expect(launchLink(['/usr/bin/electron', '.', 'open', 'task', '--id', 't'], true)).toEqual({ kind: 'task', id: 't' });
    expect(launchLink(['/opt/task-status/task-status', '--hidden'], false)).toBeNull();
  });

  it('a second launch hands its parsed link over through the lock, never its argv', () => {
    const app = new FakeApp();
    const got: unknown[] = [];
    expect(setupSingleInstanceLink(app as never, { kind: 'alerts' }, (l) => got.push(l))).toBe(true);
    expect(app.requestSingleInstanceLock).toHaveBeenCalledWith({ open: { kind: 'alerts' } });
    app.emit('second-instance', {}, ['/x', '--original-process-start-time=1', 'open', 'settings'], '/', { open: { kind: 'task', id: 'abc' } });
    app.emit('second-instance', {}, [], '/', { open: null });
    app.emit('second-instance', {}, [], '/', undefined);
    expect(got).toEqual([{ kind: 'task', id: 'abc' }, null, null]);
  });

  it('quits when another instance holds the lock', () => {
    const app = new FakeApp();
    app.lock = false;
    expect(setupSingleInstanceLink(app as never, null, () => {})).toBe(false);
    expect(app.quit).toHaveBeenCalledTimes(1);
  });

  it('a link over the socket opens the window at the queue the monitor knows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'task-status-links-'));
    const openWindow = vi.fn();
    const openAt = vi.fn();
    const links = await setupDeepLinks({
      socketPath: join(dir, 'open.sock'), openWindow, openAt, warn: vi.fn(),
      knownQueues: async () => [{ connection: 'prod', framework: 'celery', queue: 'emails' }],
    });
    expect(await sendHandOff(join(dir, 'open.sock'), { kind: 'queue', name: 'emails' })).toBe('delivered');
    await vi.waitFor(() => expect(openAt).toHaveBeenCalledWith('#/queue/prod/celery/emails'));
    await links.show({ kind: 'task', id: 'a/b' });
    expect(openAt).toHaveBeenLastCalledWith('#/task/a%2Fb');
    expect(openWindow).not.toHaveBeenCalled();
    await links.show(null);
    expect(openWindow).toHaveBeenCalledTimes(1);
    await links.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
