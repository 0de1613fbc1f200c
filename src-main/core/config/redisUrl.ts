import { ConfigError } from './configError.js';

/** A parsed Redis URL. The password stays here and never reaches a face. */
export interface RedisTarget {
  tls: boolean;
  host: string;
  port: number;
  username: string | null;
  password: string | null;
  /** The database in the URL path; `null` means every database INFO keyspace lists. */
  db: number | null;
}

/** Parses `redis://` and `rediss://` URLs (user:password@, /db); throws BAD_URL with the reason. */
export function parseRedisUrl(url: string): RedisTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError('BAD_URL', `"${redactUrl(url)}" is not a URL (expected redis://host:port/db)`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new ConfigError('BAD_URL', `"${redactUrl(url)}": the scheme must be redis:// or rediss://, not ${parsed.protocol}//`);
  }
  const path = parsed.pathname.replace(/^\/+/, '').replace(/\/+$/, '');
  let db: number | null = null;
  if (path !== '') {
    if (!/^\d+$/.test(path)) {
      throw new ConfigError('BAD_URL', `"${redactUrl(url)}": the path must be a database number, not "/${path}"`);
    }
    db = Number(path);
  }
  const dbParam = parsed.searchParams.get('db');
  if (db === null && dbParam !== null) {
    if (!/^\d+$/.test(dbParam)) throw new ConfigError('BAD_URL', `"${redactUrl(url)}": db=${dbParam} is not a number`);
    db = Number(dbParam);
  }
  const port = parsed.port === '' ? 6379 : Number(parsed.port);
  return {
    tls: parsed.protocol === 'rediss:',
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
    port,
    username: parsed.username === '' ? null : decodeURIComponent(parsed.username),
    password: parsed.password === '' ? null : decodeURIComponent(parsed.password),
    db,
  };
}

/** The URL with any password replaced by `***`, safe to print, log and send to the renderer. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/@]*)@/i, (_m, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    if (colon === -1) return `${scheme}${userinfo}@`;
    return `${scheme}${userinfo.slice(0, colon)}${colon === 0 ? '' : ''}:***@`;
  });
}

/** A default id for a connection: host:port, plus /db when one is named. */
export function defaultConnectionId(target: RedisTarget): string {
  return `${target.host}:${target.port}${target.db === null ? '' : `/${target.db}`}`;
}
