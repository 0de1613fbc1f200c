import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import sirv from 'sirv';
import type { Api } from '../../contract/api.js';
import { httpEventsRoute } from '../../contract/endpoints.js';
import { createHostGuard } from './hostGuard.js';
import { readJsonBody } from './jsonBody.js';
import { hostPort, isLoopbackHost } from './loopback.js';
import { createMethodRoutes } from './routes.js';
import { sendError, sendResult, sendText } from './httpReply.js';
import { setSecurityHeaders } from './securityHeaders.js';
import { createEventStreams } from './sse.js';
import { createTokenGuard } from './tokenGuard.js';

export interface WebServerOptions {
  api: Api;
  /** Interface to listen on; a non-loopback one needs a token. */
  host: string;
  /** `0` for any free port. */
  port: number;
  /** When set, every request must carry it (see tokenGuard.ts). */
  token?: string;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** Interval of SSE heartbeat comments; 15 s by default. */
  heartbeatMs?: number;
  /** Where unexpected failures are written; stderr by default. */
  log?: (line: string) => void;
}

export interface WebServer {
  /** `http://host:port/` (without the token: the caller adds `?token=` where it prints it). */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The web face: the renderer's files, the Api over HTTP, its events over SSE. */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const { api, host, token, rendererDir } = options;
  if (!isLoopbackHost(host) && (token === undefined || token === '')) {
    throw new Error(`refusing to serve on ${host}, which other machines can reach, without a token (give --token)`);
  }
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`the renderer is not built: ${join(rendererDir, 'index.html')} is missing (run npm run build)`);
  }
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const methods = createMethodRoutes(api, log);
  const events = createEventStreams(api, options.heartbeatMs ?? 15_000);
  const files = sirv(rendererDir, { etag: true, dev: false });

  // The guards need the port, known only once listening.
  const ready: { guards?: { host: ReturnType<typeof createHostGuard>; token: ReturnType<typeof createTokenGuard> } } = {};
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`task-status serve: ${req.method} ${req.url}: ${String(error)}`);
      if (!res.headersSent) sendText(res, 500, 'internal error');
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    setSecurityHeaders(res);
    const guards = ready.guards;
    if (guards === undefined) return sendText(res, 503, 'starting');
    if (!guards.host.isOwnHost(req.headers.host)) return sendText(res, 421, 'unknown Host: this server answers only to its own address');
    if (!guards.host.isOwnOrigin(req.headers.origin)) return sendText(res, 403, 'cross-origin request refused');
    const url = new URL(req.url ?? '/', 'http://task-status.invalid');
    const decision = guards.token(req, url);
    if (decision.kind === 'deny') {
      return sendText(res, 401, 'a token is required: open the address with ?token=<token>, or send Authorization: Bearer <token>', {
        'WWW-Authenticate': 'Bearer realm="task-status"',
      });
    }
    if (decision.kind === 'login') {
      res.setHeader('Set-Cookie', decision.setCookie);
      return sendText(res, 303, 'signed in', { Location: decision.location });
    }
    if (url.pathname === httpEventsRoute) {
      if (req.method !== 'GET') return sendError(res, 405, { code: 'BAD_USAGE', detail: `${httpEventsRoute} takes GET` }, { Allow: 'GET' });
      return events.handle(req, res);
    }
    const method = methods.get(url.pathname);
    if (method !== undefined) {
      if (req.method !== 'POST') return sendError(res, 405, { code: 'BAD_USAGE', detail: `${url.pathname} takes POST` }, { Allow: 'POST' });
      // A JSON content type also makes any cross-origin call need a preflight this server never grants.
      if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
        return sendError(res, 415, { code: 'BAD_USAGE', detail: 'send the arguments as application/json' });
      }
      const body = await readJsonBody(req);
      if (!body.ok) return sendError(res, body.status, { code: 'BAD_USAGE', detail: body.detail }, { Connection: 'close' });
      return sendResult(res, await method(body.value));
    }
    if (url.pathname.startsWith('/api/')) return sendError(res, 404, { code: 'BAD_USAGE', detail: `no such endpoint: ${url.pathname}` });
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'method not allowed', { Allow: 'GET, HEAD' });
    files(req, res, () => sendText(res, 404, 'not found'));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  ready.guards = { host: createHostGuard(host, port), token: createTokenGuard(token, port) };

  return {
    url: `http://${hostPort(host, port)}/`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        events.closeAll();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
