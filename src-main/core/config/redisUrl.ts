import { ConfigError } from './configError.js';

export interface RedisEndpoint {
  host: string;
  port: number;
}

/** A parsed Redis URL. The password stays here and never reaches a face. */
export interface RedisTarget {
  tls: boolean;
  /** The server (standalone), the first sentinel (Sentinel), or the first seed node (Cluster). */
  host: string;
  port: number;
  /** The data nodes' user and password (with Sentinel: the master's, as Kombu, RQ and redis-py use them). */
  username: string | null;
  password: string | null;
  /** The database in the URL path; `null` means every database INFO keyspace lists. */
  db: number | null;
  /** Set when the master is found through Sentinel; the failover is followed without restart. */
  sentinel?: SentinelTarget;
  /**
   * Set when the URL or the config says Redis Cluster. A plain redis:// URL pointing at a cluster
   * node is detected at connect and treated the same way.
   */
  cluster?: { nodes: RedisEndpoint[] };
}

export interface SentinelTarget {
  sentinels: RedisEndpoint[];
  masterName: string;
  /** The sentinels' own credentials (`sentinel_password=` / `sentinelPassword`); often none. */
  username: string | null;
  password: string | null;
}

/** What a config file may add to or override in a URL (RedisConnectionConfig's topology fields). */
export interface TopologyOverrides {
  sentinels?: readonly string[];
  masterName?: string;
  sentinelUsername?: string;
  sentinelPassword?: string;
  db?: number;
  cluster?: boolean;
}

const sentinelSchemes = ['redis+sentinel:', 'rediss+sentinel:', 'sentinel:'];
const clusterSchemes = ['redis+cluster:', 'rediss+cluster:'];
const defaultSentinelPort = 26379;

/**
 * Parses a Redis URL; throws BAD_URL with the reason.
 * - `redis://[user[:password]@]host[:port][/db]`, `rediss://…` (TLS);
 * - Sentinel as redis-sentinel-url (Flask, Dramatiq users) spells it:
 *   `redis+sentinel://[user[:password]@]host1[:26379],host2[:26379]/mastername[/db]`;
 * - Sentinel as Celery/Kombu spells it: `sentinel://[:password@]host1:26379[/db];sentinel://host2:26379`
 *   with `?master_name=` (Kombu takes it from `broker_transport_options`; here the URL or the config);
 * - Cluster seeds: `redis+cluster://[user[:password]@]host1:7000,host2:7001` (a redis:// URL to any
 *   cluster node works too: the cluster is detected).
 * With Sentinel the URL's password is the master's, as Kombu, RQ and redis-sentinel-url use it; the
 * sentinels' own password is `?sentinel_password=` (or `sentinelPassword` in the config).
 */
export function parseRedisUrl(url: string, overrides: TopologyOverrides = {}): RedisTarget {
  const scheme = /^([a-z][a-z0-9+.-]*:)\/\//i.exec(url)?.[1]?.toLowerCase();
  let target: RedisTarget;
  if (scheme && sentinelSchemes.includes(scheme)) target = parseSentinelUrl(url, scheme);
  else if (scheme && clusterSchemes.includes(scheme)) target = parseClusterUrl(url, scheme);
  else target = parseStandaloneUrl(url);
  return applyOverrides(target, overrides, url);
}

function parseStandaloneUrl(url: string): RedisTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError('BAD_URL', `"${redactUrl(url)}" is not a URL (expected redis://host:port/db)`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new ConfigError('BAD_URL', `"${redactUrl(url)}": the scheme must be redis:// or rediss://, not ${parsed.protocol}// (Sentinel: redis+sentinel:// or sentinel://; Cluster: redis+cluster://)`);
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
  if (db === null && dbParam !== null) db = dbNumber(dbParam, url);
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

interface UrlParts {
  username: string | null;
  password: string | null;
  hosts: RedisEndpoint[];
  path: string[];
  query: URLSearchParams;
}

/** `scheme://[user[:pass]@]h1[:p1],h2[:p2][/path][?query]`: WHATWG URL refuses host lists. */
function splitMultiHostUrl(url: string, scheme: string, defaultPort: number): UrlParts {
  const rest = url.slice(scheme.length + 2).replace(/#.*$/, '');
  const authorityEnd = rest.search(/[/?]/);
  const authority = authorityEnd === -1 ? rest : rest.slice(0, authorityEnd);
  const tail = authorityEnd === -1 ? '' : rest.slice(authorityEnd);
  const at = authority.lastIndexOf('@');
  const userinfo = at === -1 ? '' : authority.slice(0, at);
  const hostList = at === -1 ? authority : authority.slice(at + 1);
  const colon = userinfo.indexOf(':');
  const decode = (s: string): string | null => {
    if (s === '') return null;
    try {
      return decodeURIComponent(s);
    } catch {
      throw new ConfigError('BAD_URL', `"${redactUrl(url)}": the user or password is not percent-encoded correctly`);
    }
  };
  const username = decode(colon === -1 ? userinfo : userinfo.slice(0, colon));
  const password = colon === -1 ? null : decode(userinfo.slice(colon + 1));
  const hosts = hostList === '' ? [] : hostList.split(',').map((h) => parseEndpoint(h, defaultPort, url));
  const queryAt = tail.indexOf('?');
  const pathText = queryAt === -1 ? tail : tail.slice(0, queryAt);
  const query = new URLSearchParams(queryAt === -1 ? '' : tail.slice(queryAt + 1));
  const path = pathText.split('/').filter((p) => p !== '').map((p) => decodeURIComponent(p));
  return { username, password, hosts, path, query };
}

function parseEndpoint(text: string, defaultPort: number, url: string): RedisEndpoint {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d+))?$/.exec(text.trim());
  if (!m) throw new ConfigError('BAD_URL', `"${redactUrl(url)}": "${text}" is not host[:port]`);
  const port = m[3] === undefined ? defaultPort : Number(m[3]);
  if (port < 1 || port > 65535) throw new ConfigError('BAD_URL', `"${redactUrl(url)}": port ${port} is out of range`);
  return { host: (m[1] ?? m[2])!, port };
}

function dbNumber(text: string, url: string): number {
  if (!/^\d+$/.test(text)) throw new ConfigError('BAD_URL', `"${redactUrl(url)}": database "${text}" is not a number`);
  return Number(text);
}

function parseSentinelUrl(url: string, scheme: string): RedisTarget {
  let parts: UrlParts;
  let masterName: string | null = null;
  let db: number | null = null;
  if (scheme === 'sentinel:') {
    // Kombu: one URL per sentinel joined by ';', each `sentinel://[:pw@]host:port[/db]`.
    const pieces = url.split(';').map((p) => p.trim()).filter((p) => p !== '');
    const each = pieces.map((piece) => {
      if (!/^sentinel:\/\//i.test(piece)) throw new ConfigError('BAD_URL', `"${redactUrl(url)}": every ';'-separated part must be sentinel://host:port`);
      return splitMultiHostUrl(piece, 'sentinel:', defaultSentinelPort);
    });
    parts = {
      username: each.find((p) => p.username !== null)?.username ?? null,
      password: each.find((p) => p.password !== null)?.password ?? null,
      hosts: each.flatMap((p) => p.hosts),
      path: each.find((p) => p.path.length > 0)?.path ?? [],
      query: new URLSearchParams(each.flatMap((p) => [...p.query.entries()])),
    };
    if (parts.path.length > 1) throw new ConfigError('BAD_URL', `"${redactUrl(url)}": the path of a sentinel:// URL is the database number only`);
    if (parts.path[0] !== undefined) db = dbNumber(parts.path[0], url);
  } else {
    // redis-sentinel-url: `redis+sentinel://h1,h2/mastername/db`.
    parts = splitMultiHostUrl(url, scheme, defaultSentinelPort);
    if (parts.path.length > 2) throw new ConfigError('BAD_URL', `"${redactUrl(url)}": the path must be /mastername[/db]`);
    masterName = parts.path[0] ?? null;
    if (parts.path[1] !== undefined) db = dbNumber(parts.path[1], url);
  }
  masterName = parts.query.get('master_name') ?? parts.query.get('service') ?? masterName;
  const dbParam = parts.query.get('db');
  if (db === null && dbParam !== null) db = dbNumber(dbParam, url);
  const first = parts.hosts[0] ?? { host: '127.0.0.1', port: defaultSentinelPort };
  return {
    tls: scheme === 'rediss+sentinel:',
    host: first.host,
    port: first.port,
    username: parts.username,
    password: parts.password,
    db,
    sentinel: {
      sentinels: parts.hosts,
      masterName: masterName ?? '',
      username: parts.query.get('sentinel_username'),
      password: parts.query.get('sentinel_password'),
    },
  };
}

function parseClusterUrl(url: string, scheme: string): RedisTarget {
  const parts = splitMultiHostUrl(url, scheme, 6379);
  if (parts.path.length > 1 || (parts.path[0] !== undefined && parts.path[0] !== '0')) {
    throw new ConfigError('BAD_URL', `"${redactUrl(url)}": a Redis Cluster has database 0 only`);
  }
  const first = parts.hosts[0] ?? { host: '127.0.0.1', port: 6379 };
  return {
    tls: scheme === 'rediss+cluster:', host: first.host, port: first.port, username: parts.username, password: parts.password,
    db: 0, cluster: { nodes: parts.hosts.length ? parts.hosts : [first] },
  };
}

function applyOverrides(target: RedisTarget, o: TopologyOverrides, url: string): RedisTarget {
  const out: RedisTarget = { ...target };
  if (o.db !== undefined) out.db = o.db;
  const wantsSentinel = o.sentinels !== undefined || o.masterName !== undefined || o.sentinelPassword !== undefined || o.sentinelUsername !== undefined;
  if (wantsSentinel) {
    if (out.cluster) throw new ConfigError('BAD_URL', `"${redactUrl(url)}": Sentinel settings cannot apply to a Redis Cluster URL`);
    const sentinels = o.sentinels?.map((s) => parseEndpoint(s, defaultSentinelPort, url))
      ?? out.sentinel?.sentinels ?? [{ host: out.host, port: out.port }];
    out.sentinel = {
      sentinels,
      // redis-rb / Sidekiq write the master's name as the URL's host: redis://:pw@mymaster/0 plus a sentinel list.
      masterName: o.masterName ?? out.sentinel?.masterName ?? (o.sentinels !== undefined ? target.host : ''),
      username: o.sentinelUsername ?? out.sentinel?.username ?? null,
      password: o.sentinelPassword ?? out.sentinel?.password ?? null,
    };
  }
  if (out.sentinel) {
    if (out.sentinel.sentinels.length === 0) throw new ConfigError('BAD_URL', `"${redactUrl(url)}": no sentinel host given`);
    if (out.sentinel.masterName === '') {
      throw new ConfigError('BAD_URL', `"${redactUrl(url)}": Sentinel needs the master's name (redis+sentinel://host:26379/mymaster/0, ?master_name=mymaster, or "masterName" in the config)`);
    }
    out.host = out.sentinel.sentinels[0]!.host;
    out.port = out.sentinel.sentinels[0]!.port;
  }
  if (o.cluster === true && !out.cluster) {
    if (out.sentinel) throw new ConfigError('BAD_URL', `"${redactUrl(url)}": cluster: true cannot apply to a Sentinel URL`);
    out.cluster = { nodes: [{ host: out.host, port: out.port }] };
  }
  if (out.cluster && out.db !== null && out.db !== 0) throw new ConfigError('BAD_URL', `"${redactUrl(url)}": a Redis Cluster has database 0 only`);
  if (out.cluster) out.db = 0;
  return out;
}

/**
 * The URL with every password replaced by `***` (each `scheme://user:pass@` of a Kombu
 * `;`-joined list, and `password=` / `sentinel_password=` parameters), safe to print, log and
 * send to the renderer.
 */
export function redactUrl(url: string): string {
  return url
    .replace(/([a-z][a-z0-9+.-]*:\/\/)([^/@;]*)@/gi, (_m, scheme: string, userinfo: string) => {
      const colon = userinfo.indexOf(':');
      if (colon === -1) return `${scheme}${userinfo}@`;
      return `${scheme}${userinfo.slice(0, colon)}:***@`;
    })
    .replace(/([?&](?:sentinel_)?password=)[^&#;]*/gi, '$1***');
}

/** A default id for a connection: host:port (the master's name for Sentinel), plus /db when one is named. */
export function defaultConnectionId(target: RedisTarget): string {
  const base = target.sentinel ? `${target.sentinel.masterName}@${target.host}:${target.port}` : `${target.host}:${target.port}`;
  return `${base}${target.db === null || target.cluster ? '' : `/${target.db}`}`;
}

/** How messages name the target: `h:6379`, `master "mymaster" via sentinels h1:26379, h2:26379`, `cluster h1:7000, h2:7001`. */
export function describeTarget(target: RedisTarget): string {
  const list = (eps: readonly RedisEndpoint[]) => eps.map((e) => `${e.host.includes(':') ? `[${e.host}]` : e.host}:${e.port}`).join(', ');
  if (target.sentinel) return `master "${target.sentinel.masterName}" via sentinel${target.sentinel.sentinels.length === 1 ? '' : 's'} ${list(target.sentinel.sentinels)}`;
  if (target.cluster) return `cluster ${list(target.cluster.nodes)}`;
  return list([target]);
}
