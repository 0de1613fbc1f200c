import type { Framework } from './figures.js';
import type { HistoryConfig } from './history.js';

/**
 * The tray app's own configuration schema, also accepted by `--config FILE` (JSON or YAML).
 * User-authored durations are strings like `"5s"`, `"10m"`, parsed once in core/config.
 */
export interface AppConfig {
  connections: ConnectionConfig[];
  /** How often each connection is polled, e.g. `"5s"` (the default). */
  pollInterval?: string;
  /** How long history is kept: `{ raw: 24h, minute: 30d, hour: 1y }` by default (contract/history.ts). */
  history?: HistoryConfig;
  /**
   * Write actions (retry, delete, purge) are offered only when this is `false`; absent means
   * read-only, in every face (the tray app's Settings switch writes it).
   */
  readOnly?: boolean;
}

/** One broker to watch: a union tagged by `kind` (a config entry without `kind` is Redis). */
export type ConnectionConfig = RedisConnectionConfig | RabbitConnectionConfig;

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

/**
 * A RabbitMQ broker: its queues through the management HTTP API, or (plugin off) the queues
 * named in `queues` through AMQP alone. Credentials come from the URL, `password` or
 * `passwordEnv`; the URL shown anywhere never includes the password.
 */
export interface RabbitConnectionConfig extends SecretSource {
  /** Unique id shown in every face; defaults to the URL's host:port (plus the vhost unless `/`). */
  id?: string;
  kind: 'rabbitmq';
  /**
   * `amqp://[user[:password]@]host[:port][/vhost]` or `amqps://…` (TLS). The vhost is the
   * URL-encoded path: `%2F` or an empty path is `/`, `qlab%2Fv1` is `qlab/v1`.
   * Without credentials, `guest:guest` (RabbitMQ's and amqplib's default).
   */
  url: string;
  /**
   * The management HTTP API, `http[s]://[user[:password]@]host:port[/prefix]`. Default: the
   * AMQP host on port 15672 over http, with the AMQP URL's credentials.
   */
  apiUrl?: string;
  tls?: {
    /** PEM file of the CA that signed the server's certificate (AMQP and the API). */
    caFile?: string;
    /** Accept any certificate (explicitly insecure). */
    insecure?: boolean;
  };
  /**
   * Queues to check over AMQP when the management API cannot be read (AMQP cannot list queues).
   * With the API, every queue of the vhost is watched and this list is not needed.
   */
  queues?: string[];
  /** Per-framework settings (reserved for Celery on RabbitMQ; plain queues are `rabbitmq`). */
  frameworks?: Partial<Record<Framework, FrameworkConfig>>;
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
  /**
   * Celery on RabbitMQ only: task queues to watch besides those found (consumed by a worker,
   * bound to the `celery` exchange, named by task-sent events).
   */
  queues?: string[];
  /**
   * Celery on RabbitMQ only: `false` stops task-status listening to Celery's events (its one
   * exclusive auto-delete queue bound to `celeryev`); figures that come from events are then `null`.
   */
  events?: boolean;
}
