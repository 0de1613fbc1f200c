import { createConnection } from 'node:net';
import { encodeHandOff, type DeepLink } from '../../contract/deepLink.js';

/**
 * The command line's end of the hand-off: sends the link to a running tray app over its
 * socket. `delivered` once the app answered ok; `no-app` when nothing listens there (no socket
 * file, or a stale one); `refused` when something answered but not with ok.
 */
export function sendHandOff(path: string, link: DeepLink, timeoutMs = 3000): Promise<'delivered' | 'no-app' | 'refused'> {
  return new Promise((resolve) => {
    const socket = createConnection({ path });
    let reply = '';
    let settled = false;
    const settle = (outcome: 'delivered' | 'no-app' | 'refused') => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(outcome);
    };
    socket.setEncoding('utf8');
    socket.setTimeout(timeoutMs, () => settle('no-app'));
    socket.on('connect', () => socket.write(encodeHandOff(link)));
    socket.on('data', (chunk: string) => {
      reply += chunk;
      if (reply.includes('\n')) settle(/^\{"ok":true\}/.test(reply) ? 'delivered' : 'refused');
    });
    socket.on('error', () => settle('no-app'));
    socket.on('close', () => settle(reply ? 'refused' : 'no-app'));
  });
}
