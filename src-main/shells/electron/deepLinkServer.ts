import { mkdirSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { dirname } from 'node:path';
import { decodeHandOff, type DeepLink } from '../../contract/deepLink.js';

export interface HandOffServer {
  readonly path: string;
  close(): Promise<void>;
}

/**
 * The running app's end of the hand-off: listens on a Unix socket in the data folder (a named
 * pipe on Windows), reads one JSON line per connection, answers `{"ok":true}` and opens the
 * link; anything else is answered `{"ok":false}` and ignored. A socket file left by an app that
 * died is removed; one that answers belongs to a running app, and is left alone (this one then
 * relies on the single-instance lock). No Electron here: tested under Node.
 */
export async function startHandOffServer(path: string, onLink: (link: DeepLink) => void): Promise<HandOffServer> {
  if (!path.startsWith('\\\\.\\pipe\\')) mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const server = createServer((socket) => {
    let buffer = '';
    socket.setEncoding('utf8');
    socket.setTimeout(5000, () => socket.destroy());
    socket.on('error', () => {});
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      if (buffer.length > 16_384) { socket.destroy(); return; }
      const end = buffer.indexOf('\n');
      if (end < 0) return;
      const link = decodeHandOff(buffer.slice(0, end));
      socket.end(`${JSON.stringify({ ok: link !== null })}\n`);
      if (link) onLink(link);
    });
  });
  try {
    await listen(server, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || await answers(path)) throw error;
    unlinkSync(path);
    await listen(server, path);
  }
  return {
    path,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function listen(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ path, readableAll: false, writableAll: false }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Whether something listens on the socket (a running app) rather than a stale file. */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ path });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}
