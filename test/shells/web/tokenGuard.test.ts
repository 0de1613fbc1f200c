import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebServer, type WebServer } from '../../../src-main/shells/web/webServer.js';
import { createRendererDir, createTestApi, post, send, type RawResponse } from './webTestKit.js';

const token = 's3cret-T0ken';

describe('token', () => {
  const renderer = createRendererDir();
  let server: WebServer;
  let port: number;
  const seen: RawResponse[] = [];
  const keep = (res: RawResponse): RawResponse => (seen.push(res), res);

  beforeAll(async () => {
    server = await startWebServer({ api: createTestApi().api, host: '127.0.0.1', port: 0, token, rendererDir: renderer.dir });
    port = server.port;
  });
  afterAll(async () => {
    await server.close();
    renderer.remove();
  });

  it('refuses every request without it', async () => {
    for (const path of ['/', '/assets/app.js', '/api/events']) {
      const res = keep(await send(port, { path }));
      expect(res.status, path).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="task-status"');
    }
    expect(keep(await post(port, '/api/getDashboard', {})).status).toBe(401);
  });

  it('accepts it as a bearer token, and refuses a wrong one', async () => {
    expect(keep(await post(port, '/api/getDashboard', {}, { authorization: `Bearer ${token}` })).status).toBe(200);
    expect(keep(await send(port, { path: '/', headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect(keep(await post(port, '/api/getDashboard', {}, { authorization: 'Bearer wrong' })).status).toBe(401);
    expect(keep(await post(port, '/api/getDashboard', {}, { authorization: `Bearer ${token}x` })).status).toBe(401);
  });

  it('turns ?token= on a page load into an HttpOnly SameSite=Strict session cookie', async () => {
    const login = keep(await send(port, { path: `/?token=${token}&x=1` }));
    expect(login.status).toBe(303);
    expect(login.headers.location).toBe('/?x=1');
    const [cookie] = login.headers['set-cookie'] ?? [];
    expect(cookie).toMatch(new RegExp(`^task-status-session-${port}=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict$`));
    const session = cookie!.split(';')[0]!;

    expect(keep(await send(port, { path: '/', headers: { cookie: `other=1; ${session}` } })).status).toBe(200);
    expect(keep(await post(port, '/api/getTask', { id: 'a' }, { cookie: session })).status).toBe(200);
    expect(keep(await send(port, { path: '/', headers: { cookie: `${session}x` } })).status).toBe(401);
  });

  it('takes ?token= only on page loads, and only the right one', async () => {
    expect(keep(await send(port, { path: `/?token=wrong` })).status).toBe(401);
    expect(keep(await send(port, { path: `/api/events?token=${token}` })).status).toBe(401);
    expect(keep(await post(port, `/api/getDashboard?token=${token}`, {})).status).toBe(401);
  });

  it('keeps a session across a restart with the same token, and ends it with a new token', async () => {
    const login = await send(port, { path: `/?token=${token}` });
    const session = login.headers['set-cookie']![0]!.split(';')[0]!;
    const same = await startWebServer({ api: createTestApi().api, host: '127.0.0.1', port: 0, token, rendererDir: renderer.dir });
    const other = await startWebServer({ api: createTestApi().api, host: '127.0.0.1', port: 0, token: 'another', rendererDir: renderer.dir });
    try {
      const cookieFor = (p: number) => session.replace(/^task-status-session-\d+/, `task-status-session-${p}`);
      expect((await send(same.port, { path: '/', headers: { cookie: cookieFor(same.port) } })).status).toBe(200);
      expect((await send(other.port, { path: '/', headers: { cookie: cookieFor(other.port) } })).status).toBe(401);
    } finally {
      await same.close();
      await other.close();
    }
  });

  it('never repeats the token in a response', () => {
    expect(seen.length).toBeGreaterThan(10);
    for (const res of seen) expect(JSON.stringify(res)).not.toContain(token);
  });
});
