import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import sirv from 'sirv';
import type { Api } from '../../contract/api.js';
import { createHostGuard } from './hostGuard.js';
import { sendText } from './httpReply.js';
import { hostPort, isLoopbackHost } from './loopback.js';
import { createRequestHandler } from './requestHandler.js';
import { createMethodRoutes } from './routes.js';
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
  const events = createEventStreams(api, options.heartbeatMs ?? 15_000);

  // The guards need the port, known only once listening; until then nothing is answered.
  let handler = (_req: IncomingMessage, res: ServerResponse): void => {
    setSecurityHeaders(res);
    sendText(res, 503, 'starting');
  };
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  handler = createRequestHandler({
    hostGuard: createHostGuard(host, port),
    tokenGuard: createTokenGuard(token, port),
    methods: createMethodRoutes(api, log),
    events,
    files: sirv(rendererDir, { etag: true, dev: false }),
    log,
  });

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
