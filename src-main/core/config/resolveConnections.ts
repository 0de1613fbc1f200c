import type { AppConfig, ConnectionConfig, FrameworkConfig, RabbitConnectionConfig, RedisConnectionConfig } from '../../contract/config.js';
import type { Framework } from '../../contract/figures.js';
import { ConfigError } from './configError.js';
import { defaultConnectionId, parseRedisUrl, redactUrl, type RedisTarget, type TopologyOverrides } from './redisUrl.js';
import { minPollIntervalMs, parseDuration } from './configSchema.js';
import { defaultAmqpUrl } from './rabbitUrl.js';
import { resolveRabbitConnection, type ResolvedRabbitConnection } from './resolveRabbit.js';

export type { ResolvedRabbitConnection } from './resolveRabbit.js';

/** A connection ready for the io layer, tagged by broker `kind`. */
export type ResolvedConnection = ResolvedRedisConnection | ResolvedRabbitConnection;

/** A Redis connection ready for the io layer: secrets resolved, URL parsed, id unique. */
export interface ResolvedRedisConnection {
  id: string;
  kind: 'redis';
  target: RedisTarget;
  /** The URL without its password, for every face. */
  url: string;
  tls?: { caFile?: string; insecure?: boolean };
  frameworks: Partial<Record<Framework, FrameworkConfig>>;
}

export interface ResolvedConfig {
  connections: ResolvedConnection[];
  pollIntervalMs: number;
  /** Where the connections came from, for messages: `--redis`, `REDIS_URL`, a file path, `default`. */
  source: string;
  /** `false` only when the config file says `readOnly: false`: write actions are offered then. */
  readOnly?: boolean;
}

export interface ConnectionInputs {
  /** `--redis URL`, repeatable. */
  redisUrls: readonly string[];
  /** `--rabbitmq URL`, repeatable. */
  rabbitUrls?: readonly string[];
  /** `--rabbitmq-api URL`, repeatable: the n-th goes with the n-th `--rabbitmq`. */
  rabbitApiUrls?: readonly string[];
  /** `--config FILE`, parsed. */
  configFile: { path: string; config: AppConfig } | null;
  /** `--celery-backend URL`: the Celery result backend for every connection that names none. */
  celeryBackend?: string;
  /** The process environment (REDIS_URL, CELERY_BROKER_URL, RQ_REDIS_URL, password variables). */
  env: Readonly<Record<string, string | undefined>>;
  /** The tray app's saved connections, when its config file exists. */
  trayConfig: { path: string; config: AppConfig } | null;
}

export const defaultRedisUrl = 'redis://127.0.0.1:6379';
export const defaultPollIntervalMs = 5000;
const urlVariables = ['REDIS_URL', 'CELERY_BROKER_URL', 'RQ_REDIS_URL'] as const;

/**
 * Which connections to watch (ARCHITECTURE.md "CLI conventions"): `--redis` and `--config`;
 * else the URL environment variables; else the tray app's saved connections; else the local
 * default. Secrets come inline, from an environment variable, or from the URL; a password kept
 * only in the tray app's keychain is refused with a message saying how to pass it.
 */
export function resolveConnections(inputs: ConnectionInputs): ResolvedConfig {
  const fromFlags: ConnectionConfig[] = [
    ...inputs.redisUrls.map((url) => ({ kind: 'redis' as const, url })),
    ...rabbitFlags(inputs),
    ...(inputs.configFile?.config.connections ?? []),
  ];
  let chosen: { configs: ConnectionConfig[]; source: string; pollInterval?: string; readOnly?: boolean };
  if (fromFlags.length > 0) {
    const flags = [inputs.redisUrls.length ? '--redis' : '', inputs.rabbitUrls?.length ? '--rabbitmq' : ''].filter(Boolean).join(', ');
    chosen = { configs: fromFlags, source: inputs.configFile ? inputs.configFile.path : flags, pollInterval: inputs.configFile?.config.pollInterval, readOnly: inputs.configFile?.config.readOnly };
  } else {
    const envUrls = [...new Set(urlVariables.flatMap((name) => (inputs.env[name] ? [inputs.env[name]!] : [])))]
      .filter((url) => /^(rediss?|rediss?\+sentinel|sentinel|rediss?\+cluster):/i.test(url));
    // CELERY_BROKER_URL may name a RabbitMQ broker; RQ's and REDIS_URL never do.
    const envAmqp = inputs.env.CELERY_BROKER_URL && /^amqps?:/i.test(inputs.env.CELERY_BROKER_URL) ? inputs.env.CELERY_BROKER_URL : null;
    if (envUrls.length > 0 || envAmqp) {
      chosen = {
        configs: [...envUrls.map((url): ConnectionConfig => ({ kind: 'redis', url })), ...(envAmqp ? [{ kind: 'rabbitmq' as const, url: envAmqp }] : [])],
        source: urlVariables.filter((n) => inputs.env[n]).join(', '),
      };
    }
    else if (inputs.trayConfig && inputs.trayConfig.config.connections.length > 0) {
      chosen = { configs: inputs.trayConfig.config.connections, source: inputs.trayConfig.path, pollInterval: inputs.trayConfig.config.pollInterval, readOnly: inputs.trayConfig.config.readOnly };
    } else chosen = { configs: [{ kind: 'redis', url: defaultRedisUrl }, { kind: 'rabbitmq', url: defaultAmqpUrl }], source: 'default' };
  }
  const seen = new Set<string>();
  const connections = chosen.configs.map((config) => {
    const resolved = config.kind === 'rabbitmq' ? withCeleryBackend(resolveRabbitConnection(config, inputs.env), inputs.celeryBackend) : resolveOne(config, inputs);
    // The local RabbitMQ default is watched only if it answers (ARCHITECTURE.md's default pair).
    if (resolved.kind === 'rabbitmq' && chosen.source === 'default') resolved.isOptional = true;
    if (seen.has(resolved.id)) {
      if (config.id) throw new ConfigError('BAD_CONFIG', `${chosen.source}: two connections are called "${resolved.id}"`);
      let n = 2;
      while (seen.has(`${resolved.id}#${n}`)) n++;
      resolved.id = `${resolved.id}#${n}`;
    }
    seen.add(resolved.id);
    return resolved;
  });
  const pollIntervalMs = chosen.pollInterval ? parseDuration(chosen.pollInterval, `${chosen.source}: pollInterval`, minPollIntervalMs) : defaultPollIntervalMs;
  return { connections, pollIntervalMs, source: chosen.source, ...(chosen.readOnly === false ? { readOnly: false } : {}) };
}

/** `--celery-backend` for Celery on RabbitMQ too, when the connection names none (task detail reads it). */
function withCeleryBackend(connection: ResolvedRabbitConnection, backend: string | undefined): ResolvedRabbitConnection {
  if (!backend || connection.frameworks.celery?.resultBackend) return connection;
  parseRedisUrl(backend);
  return { ...connection, frameworks: { ...connection.frameworks, celery: { ...connection.frameworks.celery, resultBackend: backend } } };
}

/** `--rabbitmq` URLs, each with the `--rabbitmq-api` URL of the same position. */
function rabbitFlags(inputs: ConnectionInputs): RabbitConnectionConfig[] {
  const urls = inputs.rabbitUrls ?? [];
  const apis = inputs.rabbitApiUrls ?? [];
  if (apis.length > 0 && apis.length !== urls.length) {
    throw new ConfigError('BAD_USAGE', `${apis.length} --rabbitmq-api for ${urls.length} --rabbitmq: give one --rabbitmq-api per --rabbitmq, in the same order, or none (then each uses http://HOST:15672)`);
  }
  return urls.map((url, i) => ({ kind: 'rabbitmq', url, ...(apis[i] === undefined ? {} : { apiUrl: apis[i] }) }));
}

function resolveOne(config: RedisConnectionConfig, inputs: ConnectionInputs): ResolvedRedisConnection {
  const target = { ...parseRedisUrl(config.url, topologyOf(config, inputs.env)) };
  const id = config.id ?? defaultConnectionId(target);
  if (config.password !== undefined) target.password = config.password;
  else if (config.passwordEnv) {
    const value = inputs.env[config.passwordEnv];
    if (value === undefined) {
      throw new ConfigError('BAD_CONFIG', `connection "${id}": the environment variable ${config.passwordEnv} that should hold its password is not set`, id);
    }
    target.password = value;
  } else if (config.passwordEncrypted && target.password === null) {
    throw new ConfigError('SECRET_IN_KEYCHAIN',
      `connection "${id}" keeps its password in the tray app's keychain, which the CLI and web face never read: `
      + `pass it in the URL (--redis redis://:PASSWORD@host:port) or set "passwordEnv" in a --config file`, id);
  }
  const frameworks: Partial<Record<Framework, FrameworkConfig>> = { ...(config.frameworks ?? {}) };
  if (inputs.celeryBackend && !frameworks.celery?.resultBackend) {
    parseRedisUrl(inputs.celeryBackend);
    frameworks.celery = { ...frameworks.celery, resultBackend: inputs.celeryBackend };
  }
  return { id, kind: 'redis', target, url: redactUrl(config.url), tls: config.tls, frameworks };
}

/** Sentinel and Cluster settings of a config entry, the sentinels' password resolved from its variable. */
function topologyOf(config: RedisConnectionConfig, env: ConnectionInputs['env']): TopologyOverrides {
  let sentinelPassword = config.sentinelPassword;
  if (sentinelPassword === undefined && config.sentinelPasswordEnv) {
    sentinelPassword = env[config.sentinelPasswordEnv];
    if (sentinelPassword === undefined) {
      throw new ConfigError('BAD_CONFIG', `connection "${config.id ?? redactUrl(config.url)}": the environment variable ${config.sentinelPasswordEnv} that should hold the sentinels' password is not set`, config.id);
    }
  }
  const o: TopologyOverrides = {};
  if (config.sentinels !== undefined) o.sentinels = config.sentinels;
  if (config.masterName !== undefined) o.masterName = config.masterName;
  if (config.sentinelUsername !== undefined) o.sentinelUsername = config.sentinelUsername;
  if (sentinelPassword !== undefined) o.sentinelPassword = sentinelPassword;
  if (config.db !== undefined) o.db = config.db;
  if (config.cluster !== undefined) o.cluster = config.cluster;
  return o;
}
