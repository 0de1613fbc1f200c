import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isAppUrl } from '../../../src-main/shells/electron/appIdentity.js';
import { registerAppScheme, rendererCsp, rendererFileOf, setupAppProtocol } from '../../../src-main/shells/electron/appProtocol.js';
import { fake } from './fakeElectron.js';

vi.mock('electron', async () => (await import('./fakeElectron.js')).fakeElectronModule());

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'task-status-renderer-'));
  await mkdir(join(root, 'assets'));
  await writeFile(join(root, 'index.html'), '<!doctype html><title>task-status</title>');
  await writeFile(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  await writeFile(join(root, '..', 'task-status-secret.txt'), 'secret').catch(() => {});
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(join(root, '..', 'task-status-secret.txt'), { force: true });
});

describe('rendererFileOf', () => {
  it.each([
    ['app://task-status/', 'index.html'],
    ['app://task-status/index.html', 'index.html'],
    ['app://task-status/assets/index-abc.js?v=1#x', join('assets', 'index-abc.js')],
    ['app://task-status/assets%2Findex-abc.js', join('assets', 'index-abc.js')],
    // the URL parser folds plain and %2e dot segments before we see them: they stay inside
    ['app://task-status/../task-status-secret.txt', 'task-status-secret.txt'],
    ['app://task-status/%2e%2e/task-status-secret.txt', 'task-status-secret.txt'],
  ])('%s → %s', (url, file) => expect(rendererFileOf(url, root)).toBe(join(root, file)));

  it.each([
    'app://task-status/..%2ftask-status-secret.txt',
    'app://task-status/%2e%2e%5ctask-status-secret.txt',
    'app://task-status/%00index.html',
    'app://task-status/%E0%A4%A',
    'app://other/index.html',
    'file:///etc/passwd',
    'not a url',
  ])('refuses %s', (url) => expect(rendererFileOf(url, root)).toBeNull());
});

describe('the app:// protocol', () => {
  it('is registered as a privileged standard, secure scheme', () => {
    registerAppScheme(fake.protocol as never);
    expect(fake.protocol.registerSchemesAsPrivileged.mock.calls).toEqual([[[
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]]]);
  });

  it('serves renderer files with their type and the CSP, and 404 for anything else', async () => {
    setupAppProtocol(fake.protocol as never, root);
    const handler = fake.protocol.handlers.get('app')!;
    const page = await handler(new Request('app://task-status/index.html'));
    expect([page.status, page.headers.get('content-type'), page.headers.get('content-security-policy')])
      .toEqual([200, 'text/html; charset=utf-8', rendererCsp]);
    expect(await page.text()).toBe('<!doctype html><title>task-status</title>');
    const script = await handler(new Request('app://task-status/assets/index-abc.js'));
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await handler(new Request('app://task-status/missing.js'))).status).toBe(404);
    expect((await handler(new Request('app://task-status/%2e%2e/task-status-secret.txt'))).status).toBe(404);
  });
});

describe('isAppUrl', () => {
  it.each([
    ['app://task-status/index.html', true],
    ['app://task-status/', true],
    ['app://TASK-STATUS/index.html', true],
    ['app://task-status.evil/', false],
    ['app://user@task-status/', false],
    ['https://task-status/', false],
    ['file:///index.html', false],
    ['', false],
  ])('%s → %s', (url, expected) => expect(isAppUrl(url)).toBe(expected));
});
