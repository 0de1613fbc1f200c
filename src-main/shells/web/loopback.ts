import { isIP } from 'node:net';

/** True for names and addresses that only this machine can reach: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackHost(host: string): boolean {
  const bare = unbracket(host).toLowerCase();
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || bare === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(bare);
  return false;
}

/** True for the any-address binds (every interface). */
export function isWildcardHost(host: string): boolean {
  const bare = unbracket(host);
  return bare === '0.0.0.0' || bare === '::' || bare === '';
}

export function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** `host:port` as it appears in a URL and a Host header (IPv6 bracketed). */
export function hostPort(host: string, port: number): string {
  const bare = unbracket(host);
  return isIP(bare) === 6 ? `[${bare}]:${port}` : `${bare}:${port}`;
}
