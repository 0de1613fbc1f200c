import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { sendHandOff } from '../../../src-main/shells/cli/openClient.js';

/** A window as far as deep links use it: its contents run the hash change once loaded. */
const windows = vi.hoisted(() => ({ list: [] as { isDestroyed(): boolean; webContents: unknown }[] }));
vi.mock('electron', () => ({ BrowserWindow: { getAllWindows: () => windows.list } }));

const { launchLink, setupDeepLinks, setupSingleInstanceLink, showHash } = await import('../../../src-main/shells/electron/deepLink.js');

class Contents extends EventEmitter {
  loading = false;
  readonly executeJavaScript = vi.fn(async (_code: string) => undefined);
  isLoading(): boolean { return this.loading; }
}
function fakeWindow(): Contents {
  const contents = new Contents();
  windows.list = [{ isDestroyed: () => false, webContents: contents }];
  return contents;
}
class FakeApp extends EventEmitter {
  lock = true;
  readonly requestSingleInstanceLock = vi.fn((_data: unknown) => this.lock);
  readonly quit = vi.fn();
}

beforeEach(() => { windows.list = []; });

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

  it('sets the route once the window has loaded', () => {
    const contents = fakeWindow();
    contents.loading = true;
    showHash('#/queue/prod/rq/a%2Fb');
    expect(contents.executeJavaScript).not.toHaveBeenCalled();
    contents.emit('did-finish-load');
    expect(contents.executeJavaScript).toHaveBeenCalledWith('location.hash = "#/queue/prod/rq/a%2Fb"');
  });

  it('a link over the socket opens the window at the queue the monitor knows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'task-status-links-'));
    const contents = fakeWindow();
    const openWindow = vi.fn();
    const links = await setupDeepLinks({
      socketPath: join(dir, 'open.sock'), openWindow, warn: vi.fn(),
      knownQueues: async () => [{ connection: 'prod', framework: 'celery', queue: 'emails' }],
    });
    expect(await sendHandOff(join(dir, 'open.sock'), { kind: 'queue', name: 'emails' })).toBe('delivered');
    await vi.waitFor(() => expect(contents.executeJavaScript).toHaveBeenCalledWith('location.hash = "#/queue/prod/celery/emails"'));
    expect(openWindow).toHaveBeenCalledTimes(1);
    await links.show(null);
    expect(openWindow).toHaveBeenCalledTimes(2);
    expect(contents.executeJavaScript).toHaveBeenCalledTimes(1);
    await links.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
