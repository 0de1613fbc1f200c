import { ConfigError } from './configError.js';
import { redactUrl } from './redisUrl.js';

/** A parsed AMQP URL and the management API that goes with it. Passwords stay here, never in a face. */
export interface RabbitTarget {
  tls: boolean;
  host: string;
  port: number;
  username: string;
  password: string;
  /** The virtual host, decoded (`/`, `qlab/v1`). */
  vhost: string;
  api: RabbitApiTarget;
}

/** Where the management HTTP API answers. */
export interface RabbitApiTarget {
  tls: boolean;
  host: string;
  port: number;
  /** Path prefix before `/api/…` (a reverse proxy's), '' when none; never ends with '/'. */
  basePath: string;
  username: string;
  password: string;
  /** The API's base URL without credentials, for messages: `http://127.0.0.1:15672`. */
  url: string;
  /** Whether the URL was given (`--rabbitmq-api`, `apiUrl`) rather than derived from the AMQP one. */
  isExplicit: boolean;
}

export const defaultAmqpUrl = 'amqp://guest:guest@127.0.0.1:5672';
const defaultApiPort = 15672;

/**
 * Parses `amqp://` and `amqps://` URLs as RabbitMQ's URI spec and Kombu (Celery) read them: user
 * and password URL-encoded, the vhost the whole URL-decoded path after the first `/` (`/%2F`,
 * Celery's `//`, `/` and no path all mean `/`; `/qlab%2Fv1` and `/qlab/v1` both mean `qlab/v1`).
 * `apiUrl` (http:// or https://) overrides the management API's default, the AMQP host on port
 * 15672 with the same credentials. Throws BAD_URL with the reason.
 */
export function parseRabbitUrl(url: string, apiUrl?: string): RabbitTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError('BAD_URL', `"${redactUrl(url)}" is not a URL (expected amqp://user:password@host:5672/vhost)`);
  }
  if (parsed.protocol !== 'amqp:' && parsed.protocol !== 'amqps:') {
    throw new ConfigError('BAD_URL', `"${redactUrl(url)}": the scheme must be amqp:// or amqps://, not ${parsed.protocol}//`);
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1';
  const tls = parsed.protocol === 'amqps:';
  // Everything after the first "/" is the vhost, as Kombu reads it: Celery's `amqp://h//` is "/",
  // and an unencoded `amqp://h/a/b` is "a/b" (RabbitMQ's spec wants `a%2Fb`; both are accepted).
  const path = parsed.pathname.replace(/^\//, '');
  const vhost = path === '' ? '/' : decode(path, url, 'vhost');
  const hasUser = parsed.username !== '' || parsed.password !== '';
  const username = hasUser ? decode(parsed.username, url, 'user') : 'guest';
  const password = hasUser ? decode(parsed.password, url, 'password') : 'guest';
  const port = parsed.port === '' ? (tls ? 5671 : 5672) : Number(parsed.port);
  const api = apiUrl === undefined
    ? { tls: false, host, port: defaultApiPort, basePath: '', username, password, url: `http://${hostForUrl(host)}:${defaultApiPort}`, isExplicit: false }
    : parseApiUrl(apiUrl, username, password);
  return { tls, host, port, username, password, vhost, api };
}

function parseApiUrl(apiUrl: string, username: string, password: string): RabbitApiTarget {
  let parsed: URL;
  try {
    parsed = new URL(apiUrl);
  } catch {
    throw new ConfigError('BAD_URL', `"${redactUrl(apiUrl)}" is not a URL (expected http://host:15672 for the management API)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigError('BAD_URL', `"${redactUrl(apiUrl)}": the management API's scheme must be http:// or https://, not ${parsed.protocol}//`);
  }
  const tls = parsed.protocol === 'https:';
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1';
  const port = parsed.port === '' ? (tls ? 443 : 80) : Number(parsed.port);
  const basePath = parsed.pathname.replace(/\/+$/, '').replace(/\/api$/, '');
  const hasUser = parsed.username !== '' || parsed.password !== '';
  return {
    tls, host, port, basePath,
    username: hasUser ? decode(parsed.username, apiUrl, 'user') : username,
    password: hasUser ? decode(parsed.password, apiUrl, 'password') : password,
    url: `${parsed.protocol}//${hostForUrl(host)}:${port}${basePath}`,
    isExplicit: true,
  };
}

function decode(text: string, url: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new ConfigError('BAD_URL', `"${redactUrl(url)}": the ${what} is not valid URL encoding`);
  }
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** A default id for a RabbitMQ connection: host:port, plus the encoded vhost unless it is `/`. */
export function defaultRabbitConnectionId(target: RabbitTarget): string {
  return `${target.host}:${target.port}${target.vhost === '/' ? '' : `/${encodeURIComponent(target.vhost)}`}`;
}
