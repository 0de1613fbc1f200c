import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** What to do with a request when a token is configured. */
export type TokenDecision =
  | { kind: 'pass' }
  | { kind: 'deny' }
  /** A page load with the right `?token=`: set the session cookie and reload without the token. */
  | { kind: 'login'; setCookie: string; location: string };

/**
 * With a token, every request carries it: `Authorization: Bearer <token>` (scripts), or the
 * session cookie a page load with `?token=<token>` sets (browsers, whose EventSource cannot send
 * headers). The cookie holds an HMAC of the token, never the token itself, so no response
 * repeats it; being derived, it stays valid across restarts with the same token, and a new token
 * signs every browser out.
 */
export function createTokenGuard(token: string | undefined, port: number): (req: IncomingMessage, url: URL) => TokenDecision {
  if (token === undefined) return () => ({ kind: 'pass' });
  const expected = digest(token);
  const matches = (candidate: string): boolean => timingSafeEqual(digest(candidate), expected);
  const session = createHmac('sha256', token).update('task-status web session').digest('base64url');
  // Cookies ignore ports: the name carries it so two servers on one host keep apart.
  const cookieName = `task-status-session-${port}`;

  return (req, url) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (bearer !== undefined) return matches(bearer) ? { kind: 'pass' } : { kind: 'deny' };
    const cookie = readCookie(req.headers.cookie, cookieName);
    if (cookie !== undefined && timingSafeEqual(digest(cookie), digest(session))) return { kind: 'pass' };
    const offered = url.searchParams.get('token');
    if (offered !== null && req.method === 'GET' && !url.pathname.startsWith('/api/') && matches(offered)) {
      url.searchParams.delete('token');
      return {
        kind: 'login',
        setCookie: `${cookieName}=${session}; Path=/; HttpOnly; SameSite=Strict`,
        location: `${url.pathname}${url.search}`,
      };
    }
    return { kind: 'deny' };
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}
