import { hostname, networkInterfaces } from 'node:os';
import { hostPort, isWildcardHost } from './loopback.js';

/**
 * DNS-rebinding guard: a page on an attacker's domain that re-resolves to 127.0.0.1 still sends
 * its own name in Host (and its own Origin), so only this server's own addresses are answered.
 */
export interface HostGuard {
  /** The Host header names this server. */
  isOwnHost(hostHeader: string | undefined): boolean;
  /** No Origin (a plain navigation), or an Origin on this server. */
  isOwnOrigin(originHeader: string | undefined): boolean;
}

export function createHostGuard(host: string, port: number): HostGuard {
  const allowed = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, hostPort(host, port).toLowerCase()]);
  // Bound to every interface: the machine's own addresses and name are its address too.
  if (isWildcardHost(host)) {
    for (const address of Object.values(networkInterfaces()).flat()) {
      if (address) allowed.add(hostPort(address.address, port).toLowerCase());
    }
    allowed.add(`${hostname().toLowerCase()}:${port}`);
  }
  const normalise = (value: string): string => {
    const lower = value.trim().toLowerCase();
    // A Host without a port means the scheme's default one.
    return /:\d+$/.test(lower) ? lower : `${lower}:80`;
  };
  return {
    isOwnHost: (hostHeader) => hostHeader !== undefined && allowed.has(normalise(hostHeader)),
    isOwnOrigin: (originHeader) => {
      if (originHeader === undefined) return true;
      try {
        const origin = new URL(originHeader);
        return origin.protocol === 'http:' && allowed.has(normalise(origin.host));
      } catch {
        return false; // `null` (sandboxed frames, file:) and garbage
      }
    },
  };
}
