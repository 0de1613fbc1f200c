import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolveConnections, type ResolvedConfig } from '../../core/config/resolveConnections.js';
import { minPollIntervalMs, parseDuration } from '../../core/config/configSchema.js';
import { readConfigFile } from '../../io/config/readConfigFile.js';
import { trayConfigPath } from '../../io/config/trayConfigPath.js';

/** Options every command shares. */
export interface ConnectionOptions {
  redis: string[];
  /** `--rabbitmq URL`, repeatable. */
  rabbitmq?: string[];
  /** `--rabbitmq-api URL`, one per `--rabbitmq`, in order. */
  rabbitmqApi?: string[];
  config?: string;
  celeryBackend?: string;
  interval?: string;
}

/** Connections for a CLI run: flags, then environment, then the tray app's config, then the default. */
export function loadConfig(options: ConnectionOptions, env: NodeJS.ProcessEnv = process.env): ResolvedConfig {
  const trayPath = trayConfigPath(process.platform, env, homedir());
  const resolved = resolveConnections({
    redisUrls: options.redis,
    rabbitUrls: options.rabbitmq ?? [],
    rabbitApiUrls: options.rabbitmqApi ?? [],
    configFile: options.config ? { path: options.config, config: readConfigFile(options.config) } : null,
    celeryBackend: options.celeryBackend,
    env,
    trayConfig: existsSync(trayPath) ? { path: trayPath, config: readConfigFile(trayPath) } : null,
  });
  return options.interval ? { ...resolved, pollIntervalMs: parseDuration(options.interval, '--interval', minPollIntervalMs) } : resolved;
}
