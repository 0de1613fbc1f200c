import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHostGuard } from '../../../src-main/shells/web/hostGuard.js';
import { isLoopbackHost } from '../../../src-main/shells/web/loopback.js';
import { startWebServer, type WebServer } from '../../../src-main/shells/web/webServer.js';
import { createRendererDir, createTestApi, post, send } from './webTestKit.js';

describe('host guard (DNS rebinding)', () => {
  const renderer = createRendererDir();
  let server: WebServer;
  let port: number;
  beforeAll(async () => {
    server = await startWebServer({ api: createTestApi().api, host: '127.0.0.1', port: 0, rendererDir: renderer.dir });
    port = server.port;
  });
  afterAll(async () => {
    await server.close();
    renderer.remove();
  });

  it('answers its own loopback names', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`]) {
      expect((await send(port, { path: '/', headers: { host } })).status, host).toBe(200);
    }
  });

  it('answers 421 to any other Host, on pages, the Api and events alike', async () => {
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1:${port + 1}`, '127.0.0.1', `127.0.0.1.evil.example:${port}`]) {
      for (const path of ['/', '/api/events']) {
        const res = await send(port, { path, headers: { host } });
        expect(res.status, `${host} ${path}`).toBe(421);
      }
      const api = await post(port, '/api/getDashboard', {}, { host });
      expect(api.status, host).toBe(421);
    }
  });

  it('leaves a request without Host to node, which answers 400', async () => {
    expect((await send(port, { path: '/', headers: { host: '' } })).status).toBe(400);
  });

  it('answers 403 to a request from another origin', async () => {
    for (const origin of ['http://evil.example', `http://evil.example:${port}`, 'null', `https://127.0.0.1:${port}`]) {
      const res = await post(port, '/api/getDashboard', {}, { origin });
      expect(res.status, origin).toBe(403);
    }
    expect((await post(port, '/api/getDashboard', {}, { origin: `http://localhost:${port}` })).status).toBe(200);
  });

  it('answers the configured host too', async () => {
    const other = await startWebServer({ api: createTestApi().api, host: '127.0.0.2', port: 0, rendererDir: renderer.dir });
    try {
      const res = await new Promise<number>((resolve, reject) => {
        import('node:http').then(({ request }) => {
          const req = request({ host: '127.0.0.2', port: other.port, path: '/' }, (r) => { r.resume(); resolve(r.statusCode ?? 0); });
          req.on('error', reject);
          req.end();
        }, reject);
      });
      expect(res).toBe(200);
      expect(other.url).toBe(`http://127.0.0.2:${other.port}/`);
    } finally {
      await other.close();
    }
  });
});

describe('host guard rules', () => {
  it('accepts the machine name and addresses when bound to every interface', () => {
    const guard = createHostGuard('0.0.0.0', 8080);
    expect(guard.isOwnHost(`${hostname()}:8080`)).toBe(true);
    expect(guard.isOwnHost('0.0.0.0:8080')).toBe(true);
    expect(guard.isOwnHost('evil.example:8080')).toBe(false);
  });

  it('takes a Host without a port as port 80', () => {
    const guard = createHostGuard('127.0.0.1', 80);
    expect(guard.isOwnHost('localhost')).toBe(true);
    expect(guard.isOwnOrigin('http://localhost')).toBe(true);
    expect(guard.isOwnHost('localhost:8080')).toBe(false);
  });

  it('tells loopback hosts from the rest', () => {
    expect(['127.0.0.1', '127.9.9.9', 'localhost', '::1', '[::1]', 'app.localhost'].map(isLoopbackHost)).toEqual([true, true, true, true, true, true]);
    expect(['0.0.0.0', '::', '192.168.1.2', 'example.com', '128.0.0.1', '::2'].map(isLoopbackHost)).toEqual([false, false, false, false, false, false]);
  });
});
