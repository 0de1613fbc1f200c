import type { FrameworkConfig, RabbitConnectionConfig } from '../../contract/config.js';
import type { Framework } from '../../contract/figures.js';
import { ConfigError } from './configError.js';
import { defaultRabbitConnectionId, parseRabbitUrl, type RabbitTarget } from './rabbitUrl.js';
import { redactUrl } from './redisUrl.js';

/** A RabbitMQ connection ready for the io layer: secrets resolved, URLs parsed. */
export interface ResolvedRabbitConnection {
  id: string;
  kind: 'rabbitmq';
  target: RabbitTarget;
  /** The AMQP URL without its password, for every face. */
  url: string;
  tls?: { caFile?: string; insecure?: boolean };
  /** Queues to check over AMQP when the management API cannot be read. */
  queues: string[];
  frameworks: Partial<Record<Framework, FrameworkConfig>>;
  /**
   * The local default (`amqp://guest:guest@127.0.0.1:5672`) that nobody asked for: it is shown
   * only once it has been read, so a Redis user without RabbitMQ never sees it (or exit code 3).
   */
  isOptional?: boolean;
}

/**
 * Resolves one RabbitMQ entry. `password` / `passwordEnv` replace the URL's password, and the
 * management API's too unless its own URL carries credentials.
 */
export function resolveRabbitConnection(config: RabbitConnectionConfig, env: Readonly<Record<string, string | undefined>>): ResolvedRabbitConnection {
  const parsed = parseRabbitUrl(config.url, config.apiUrl);
  const target: RabbitTarget = { ...parsed, api: { ...parsed.api } };
  const id = config.id ?? defaultRabbitConnectionId(target);
  let password: string | undefined = config.password;
  if (password === undefined && config.passwordEnv) {
    password = env[config.passwordEnv];
    if (password === undefined) {
      throw new ConfigError('BAD_CONFIG', `connection "${id}": the environment variable ${config.passwordEnv} that should hold its password is not set`, id);
    }
  } else if (password === undefined && config.passwordEncrypted && !/^amqps?:\/\/[^/@]*:[^/@]*@/i.test(config.url)) {
    throw new ConfigError('SECRET_IN_KEYCHAIN',
      `connection "${id}" keeps its password in the tray app's keychain, which the CLI and web face never read: `
      + `pass it in the URL (--rabbitmq amqp://USER:PASSWORD@host:5672/vhost) or set "passwordEnv" in a --config file`, id);
  }
  if (password !== undefined) {
    target.password = password;
    const apiHasOwnUser = config.apiUrl !== undefined && /^https?:\/\/[^/@]+@/i.test(config.apiUrl);
    if (!apiHasOwnUser) target.api.password = password;
  }
  return {
    id, kind: 'rabbitmq', target, url: redactUrl(config.url), tls: config.tls,
    queues: [...new Set(config.queues ?? [])], frameworks: { ...(config.frameworks ?? {}) },
  };
}
