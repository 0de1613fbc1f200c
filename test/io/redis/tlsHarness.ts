import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startRedis, type PrivateRedis } from '../../support/redisServer.js';

/** A CA made for the test by openssl, and a server certificate it signed for 127.0.0.1 / localhost. */
export interface TestCa {
  dir: string;
  ca: string;
  cert: string;
  key: string;
}

export function makeTestCa(): TestCa {
  const dir = mkdtempSync(join(tmpdir(), 'task-status-tls-'));
  const openssl = (args: string[]) => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
  };
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=task-status test CA']);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']);
  writeFileSync(join(dir, 'san.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'san.cnf']);
  return { dir, ca: join(dir, 'ca.crt'), cert: join(dir, 'server.crt'), key: join(dir, 'server.key') };
}

/** A private redis-server that also listens with TLS on `tlsPort` (clients need no certificate). */
export async function startTlsRedis(ca: TestCa, extraArgs: string[] = []): Promise<{ redis: PrivateRedis; tlsPort: number }> {
  const tlsPort = await freePort();
  const redis = await startRedis(['--tls-port', String(tlsPort), '--tls-cert-file', ca.cert, '--tls-key-file', ca.key,
    '--tls-ca-cert-file', ca.ca, '--tls-auth-clients', 'no', ...extraArgs]);
  return { redis, tlsPort };
}

/**
 * A TCP server on a free loopback port that is not Redis: `silent` accepts and never answers
 * (a hung server, a black-holing proxy), `http` answers anything with an HTTP error and closes.
 */
export async function startFakeServer(kind: 'silent' | 'http'): Promise<{ port: number; stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    if (kind === 'http') socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'));
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    stop: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
