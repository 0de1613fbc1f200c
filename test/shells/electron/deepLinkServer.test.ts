import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeepLink } from '../../../src-main/contract/deepLink.js';
import { startHandOffServer, type HandOffServer } from '../../../src-main/shells/electron/deepLinkServer.js';
import { sendHandOff } from '../../../src-main/shells/cli/openClient.js';

/** The hand-off between `task-status open` and the running app, under Node: a real Unix socket. */
let dir: string;
let servers: HandOffServer[];
const path = () => join(dir, 'data', 'open.sock');

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'task-status-handoff-'));
  servers = [];
});
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function server(onLink: (link: DeepLink) => void): Promise<HandOffServer> {
  const s = await startHandOffServer(path(), onLink);
  servers.push(s);
  return s;
}

function rawExchange(line: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = createConnection({ path: path() });
    let reply = '';
    socket.on('connect', () => socket.write(line));
    socket.on('data', (d) => { reply += d.toString(); });
    socket.on('close', () => resolve(reply));
  });
}

describe('hand-off socket', () => {
  it('delivers a link from the client to the running app, in the data folder (created if missing)', async () => {
    const got: DeepLink[] = [];
    await server((link) => got.push(link));
    expect(await sendHandOff(path(), { kind: 'queue', name: 'emails', framework: 'celery' })).toBe('delivered');
    expect(await sendHandOff(path(), { kind: 'task', id: 'abc' })).toBe('delivered');
    expect(got).toEqual([{ kind: 'queue', name: 'emails', framework: 'celery' }, { kind: 'task', id: 'abc' }]);
  });

  it('answers a line that is not a link with ok: false, and opens nothing', async () => {
    const got: DeepLink[] = [];
    await server((link) => got.push(link));
    expect(await rawExchange('{"open":{"kind":"shell","cmd":"x"}}\n')).toBe('{"ok":false}\n');
    expect(got).toEqual([]);
  });

  it('says no-app when nothing listens: no socket file, or one left by an app that died', async () => {
    expect(await sendHandOff(path(), { kind: 'dashboard' })).toBe('no-app');
    const first = await server(() => {});
    await first.close();
    servers = [];
    writeFileSync(join(dir, 'stale'), '');
    expect(await sendHandOff(path(), { kind: 'dashboard' })).toBe('no-app');
  });

  it('replaces a stale socket file, but never takes over one a running app answers on', async () => {
    const first = await server(() => {});
    // A crashed app leaves its socket file: simulated by closing the server without unlinking.
    await expect(startHandOffServer(path(), () => {})).rejects.toMatchObject({ code: 'EADDRINUSE' });
    await first.close();
    servers = [];
    if (!existsSync(path())) writeFileSync(path(), '');
    const got: DeepLink[] = [];
    await server((link) => got.push(link));
    expect(await sendHandOff(path(), { kind: 'alerts' })).toBe('delivered');
    expect(got).toEqual([{ kind: 'alerts' }]);
  });
});
