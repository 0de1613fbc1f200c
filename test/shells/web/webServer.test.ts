import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebServer, type WebServer } from '../../../src-main/shells/web/webServer.js';
import { contentSecurityPolicy } from '../../../src-main/shells/web/securityHeaders.js';
import { createRendererDir, createTestApi, post, send } from './webTestKit.js';

describe('web server: routes, validation, static files', () => {
  const testApi = createTestApi();
  const renderer = createRendererDir();
  let server: WebServer;
  let port: number;

  beforeAll(async () => {
    server = await startWebServer({ api: testApi.api, host: '127.0.0.1', port: 0, rendererDir: renderer.dir, log: () => {} });
    port = server.port;
  });
  afterAll(async () => {
    await server.close();
    renderer.remove();
  });

  it('reports its own address', () => {
    expect(port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${port}/`);
  });

  it('answers each contract method with its value', async () => {
    const dashboard = await post(port, '/api/getDashboard', {});
    expect(dashboard.status).toBe(200);
    expect(JSON.parse(dashboard.body)).toEqual({ ok: true, value: { connections: [], generatedAt: 1_700_000_000_000 } });
    expect(dashboard.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(dashboard.headers['cache-control']).toBe('no-store');

    const queues = await post(port, '/api/getQueues', { name: 'default', framework: 'rq' });
    expect(JSON.parse(queues.body)).toEqual({ ok: true, value: { queues: [] } });
    const task = await post(port, '/api/getTask', { id: 'abc', connection: 'local' });
    expect(JSON.parse(task.body)).toEqual({ ok: true, value: { task: { id: 'abc' } } });
    expect(testApi.calls.slice(-3)).toEqual([
      ['getDashboard', {}],
      ['getQueues', { name: 'default', framework: 'rq' }],
      ['getTask', { id: 'abc', connection: 'local' }],
    ]);
  });

  it('takes an empty body as the empty argument object', async () => {
    const res = await send(port, { method: 'POST', path: '/api/getDashboard', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(200);
  });

  it('refuses invalid arguments before they reach the Api', async () => {
    const before = testApi.calls.length;
    const cases: Array<[string, unknown, RegExp]> = [
      ['/api/getQueues', {}, /getQueues: name: /],
      ['/api/getQueues', { name: 'a', framework: 'resque' }, /framework/],
      ['/api/getTask', { id: '' }, /id: /],
      ['/api/getTask', { id: 7 }, /id: /],
      ['/api/getTask', { id: 'a', extra: true }, /extra/],
      ['/api/getDashboard', [], /arguments: /],
    ];
    for (const [path, body, detail] of cases) {
      const res = await post(port, path, body);
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      const answer = JSON.parse(res.body);
      expect(answer.ok).toBe(false);
      expect(answer.error.code).toBe('BAD_USAGE');
      expect(answer.error.detail).toMatch(detail);
    }
    expect(testApi.calls.length).toBe(before);
  });

  it('refuses bad JSON, other content types, oversized bodies and other methods', async () => {
    const badJson = await send(port, { method: 'POST', path: '/api/getTask', body: '{id:', headers: { 'content-type': 'application/json' } });
    expect([badJson.status, JSON.parse(badJson.body).error]).toEqual([400, { code: 'BAD_USAGE', detail: 'request body is not valid JSON' }]);
    const plain = await send(port, { method: 'POST', path: '/api/getTask', body: '{"id":"a"}', headers: { 'content-type': 'text/plain' } });
    expect(plain.status).toBe(415);
    const huge = await post(port, '/api/getTask', { id: 'x'.repeat(70_000) });
    expect(huge.status).toBe(413);
    const get = await send(port, { path: '/api/getTask' });
    expect([get.status, get.headers.allow]).toEqual([405, 'POST']);
    const postEvents = await post(port, '/api/events', {});
    expect([postEvents.status, postEvents.headers.allow]).toEqual([405, 'GET']);
  });

  it('maps coded errors to a status and keeps only the contract fields', async () => {
    const res = await post(port, '/api/getTask', { id: 'missing' });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body)).toEqual({ ok: false, error: { code: 'TASK_NOT_FOUND', detail: 'no task missing on any connection' } });
  });

  it('answers an unexpected failure generically, without its message', async () => {
    const lines: string[] = [];
    const own = await startWebServer({ api: testApi.api, host: '127.0.0.1', port: 0, rendererDir: renderer.dir, log: (l) => lines.push(l) });
    try {
      const res = await post(own.port, '/api/getTask', { id: 'boom' });
      expect(res.status).toBe(500);
      expect(JSON.parse(res.body)).toEqual({ ok: false, error: { code: 'INTERNAL', detail: "getTask failed unexpectedly (see the server's log)" } });
      expect(res.body).not.toContain('hunter2');
      expect(lines.join('\n')).toContain('getTask failed');
    } finally {
      await own.close();
    }
  });

  it('answers 404 for unknown endpoints and files', async () => {
    const api = await post(port, '/api/deleteEverything', {});
    expect([api.status, JSON.parse(api.body).error.code]).toEqual([404, 'BAD_USAGE']);
    expect((await send(port, { path: '/nothing-here.js' })).status).toBe(404);
    expect((await send(port, { method: 'DELETE', path: '/' })).status).toBe(405);
  });

  it('serves the renderer', async () => {
    const index = await send(port, { path: '/' });
    expect([index.status, index.body]).toEqual([200, '<!doctype html><title>task-status</title>']);
    expect(index.headers['content-type']).toBe('text/html;charset=utf-8');
    const asset = await send(port, { path: '/assets/app.js?v=1' });
    expect([asset.status, asset.body]).toEqual([200, 'console.log(1);']);
  });

  it('never serves a file outside the renderer folder', async () => {
    for (const path of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e%2f%2e%2e%2fsecret.txt', '/..%5csecret.txt', '//secret.txt']) {
      const res = await send(port, { path });
      expect(res.status, path).toBe(404);
      expect(res.body, path).not.toContain('outside the renderer');
    }
  });

  it('sets the security headers on every kind of answer', async () => {
    const answers = [
      await send(port, { path: '/' }),
      await send(port, { path: '/missing' }),
      await post(port, '/api/getDashboard', {}),
      await post(port, '/api/getQueues', {}),
      await send(port, { path: '/', headers: { host: 'evil.example' } }),
    ];
    for (const res of answers) {
      expect(res.headers['content-security-policy']).toBe(contentSecurityPolicy);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
    expect(contentSecurityPolicy).toContain("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'");
  });
});

describe('web server: start-up checks', () => {
  const testApi = createTestApi();
  const renderer = createRendererDir();
  afterAll(() => renderer.remove());

  it('refuses a host other machines can reach unless a token is given', async () => {
    for (const host of ['0.0.0.0', '::', '192.0.2.10']) {
      await expect(startWebServer({ api: testApi.api, host, port: 0, rendererDir: renderer.dir })).rejects.toThrow(/without a token/);
    }
  });

  it('refuses to start without a built renderer', async () => {
    await expect(startWebServer({ api: testApi.api, host: '127.0.0.1', port: 0, rendererDir: '/nonexistent' })).rejects.toThrow(/not built/);
  });

  it('stops listening on close', async () => {
    const server = await startWebServer({ api: testApi.api, host: '127.0.0.1', port: 0, rendererDir: renderer.dir });
    await server.close();
    await expect(send(server.port, { path: '/' })).rejects.toThrow(/ECONNREFUSED/);
  });
});
