import { connect as connectTcp, isIP } from 'node:net';
import { connect as connectTls } from 'node:tls';

/**
 * When a connection fails during set-up, a TLS mismatch looks like something else: a TLS-only
 * server closes a plain connection at once ("closed the connection"), and a plain server never
 * answers a TLS handshake ("did not answer"). These two probes, sent only after such a failure,
 * ask the port itself which protocol it speaks, so that the error can say "TLS expected" or "TLS
 * not spoken" instead of guessing. Each opens one connection, sends nothing that changes state,
 * and closes it.
 */

/** Whether the port completes a TLS handshake (the certificate is not checked: only the protocol is asked). */
export function speaksTls(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connectTls({ host, port, servername: isIP(host) ? undefined : host, rejectUnauthorized: false });
    const done = (answer: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('secureConnect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('close', () => done(false));
  });
}

/**
 * Whether the port answers a plain `PING` the way Redis does: `+PONG`, or an error reply such as
 * `-NOAUTH` or `-DENIED` (a RESP simple string or error, ending in CRLF).
 */
export function answersPlainRedis(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connectTcp({ host, port });
    let received = '';
    const done = (answer: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (received.includes('\r\n')) done(/^[+-][A-Za-z]/.test(received));
    });
    socket.once('error', () => done(false));
    socket.once('close', () => done(false));
  });
}
