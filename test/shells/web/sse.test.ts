import { get, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardView } from '../../../src-main/contract/dashboard.js';
import { startWebServer, type WebServer } from '../../../src-main/shells/web/webServer.js';
import { createRendererDir, createTestApi } from './webTestKit.js';

/** An open event stream and everything it has delivered so far. */
async function openStream(port: number): Promise<{ res: IncomingMessage; text: () => string; close(): void }> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path: '/api/events', headers: { host: `127.0.0.1:${port}` } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      resolve({ res, text: () => text, close: () => req.destroy() });
    });
    req.on('error', reject);
  });
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('server-sent events', () => {
  const testApi = createTestApi();
  const renderer = createRendererDir();
  let server: WebServer;
  beforeAll(async () => {
    server = await startWebServer({ api: testApi.api, host: '127.0.0.1', port: 0, rendererDir: renderer.dir, heartbeatMs: 50 });
  });
  afterAll(async () => {
    await server.close();
    renderer.remove();
  });

  it('delivers each contract event by name with JSON data', async () => {
    const stream = await openStream(server.port);
    expect(stream.res.statusCode).toBe(200);
    expect(stream.res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(stream.res.headers['cache-control']).toBe('no-store');
    await until(() => testApi.listenerCount() === 1, 'the subscription');
    const event: DashboardView = { connections: [], generatedAt: 42 };
    testApi.emit(event);
    testApi.emit({ ...event, generatedAt: 43 });
    await until(() => stream.text().includes('"generatedAt":43'), 'the second event');
    const frames = stream.text().split('\n\n').filter((frame) => frame.startsWith('event:'));
    expect(frames).toEqual([
      'event: onDidChangeDashboard\ndata: {"connections":[],"generatedAt":42}',
      'event: onDidChangeDashboard\ndata: {"connections":[],"generatedAt":43}',
    ]);
    stream.close();
  });

  it('sends heartbeat comments while quiet', async () => {
    const stream = await openStream(server.port);
    await until(() => (stream.text().match(/^: heartbeat$/gm) ?? []).length >= 2, 'two heartbeats');
    expect(stream.text().startsWith('retry: 2000\n\n')).toBe(true);
    stream.close();
  });

  it('unsubscribes when the client goes', async () => {
    await until(() => testApi.listenerCount() === 0, 'earlier streams to close');
    const a = await openStream(server.port);
    const b = await openStream(server.port);
    await until(() => testApi.listenerCount() === 2, 'two subscriptions');
    a.close();
    await until(() => testApi.listenerCount() === 1, 'one subscription');
    b.close();
    await until(() => testApi.listenerCount() === 0, 'no subscription');
  });

  it('ends open streams when the server closes', async () => {
    const own = await startWebServer({ api: testApi.api, host: '127.0.0.1', port: 0, rendererDir: renderer.dir });
    const stream = await openStream(own.port);
    await until(() => testApi.listenerCount() === 1, 'the subscription');
    const ended = new Promise((r) => stream.res.on('close', r));
    await own.close();
    await ended;
    expect(testApi.listenerCount()).toBe(0);
  });
});
