import type { Framework } from './figures.js';

/**
 * The tray app's own configuration schema, also accepted by `--config FILE` (JSON or YAML).
 * User-authored durations are strings like `"5s"`, `"10m"`, parsed once in core/config.
 */
export interface AppConfig {
  connections: ConnectionConfig[];
  /** How often each connection is polled, e.g. `"5s"` (the default). */
  pollInterval?: string;
}

export type ConnectionConfig = RedisConnectionConfig;

/** Secrets of a connection: inline, from an environment variable, or sealed by the tray app. */
export interface SecretSource {
  /** The password inline (config files only; the tray app never writes it in clear). */
  password?: string;
  /** Name of an environment variable holding the password. */
  passwordEnv?: string;
  /**
   * The password encrypted with the tray app's OS keychain (Electron safeStorage), base64.
   * Only the tray app can read it; the CLI and web face ask for the password another way.
   */
  passwordEncrypted?: string;
}

export interface RedisConnectionConfig extends SecretSource {
  /** Unique id shown in every face; defaults to the URL's host:port. */
  id?: string;
  kind: 'redis';
  /**
   * `redis://[user[:password]@]host[:port][/db]` or `rediss://…` (TLS). Without a database
   * number, every database INFO keyspace lists is watched.
   */
  url: string;
  tls?: {
    /** PEM file of the CA that signed the server's certificate. */
    caFile?: string;
    /** Accept any certificate (explicitly insecure). */
    insecure?: boolean;
  };
  /** Per-framework settings; frameworks and prefixes are detected when omitted. */
  frameworks?: Partial<Record<Framework, FrameworkConfig>>;
  /**
   * Sentinel: the sentinels as `"host:port"` (port 26379 by default). With them the URL gives the
   * master's name, credentials and database, as redis-rb and Sidekiq write it (`redis://:PASSWORD@mymaster/0`),
   * or is a redis+sentinel:// URL.
   */
  sentinels?: string[];
  /** Sentinel: the name of the monitored master (`mymaster`). */
  masterName?: string;
  /** Sentinel: the sentinels' own user and password (the URL's and `password` are the master's). */
  sentinelUsername?: string;
  sentinelPassword?: string;
  /** Sentinel: an environment variable holding the sentinels' password. */
  sentinelPasswordEnv?: string;
  /** The database to watch, overriding the URL's. */
  db?: number;
  /** Redis Cluster: `true` forces cluster mode (it is detected from the server otherwise). */
  cluster?: boolean;
}

export interface FrameworkConfig {
  /** Turn the framework off on this connection. */
  enabled?: boolean;
  /** Key prefix (Celery `global_keyprefix`, BullMQ `prefix`, Sidekiq namespace). */
  keyPrefix?: string;
  /** Celery only: the result backend URL, when it is not the broker's own database. */
  resultBackend?: string;
  /** Celery only: the result backend's `global_keyprefix`. */
  resultKeyPrefix?: string;
}
