import { z } from 'zod';
import type { AppConfig } from '../../contract/config.js';
import { ConfigError } from './configError.js';

const frameworkConfig = z.strictObject({
  enabled: z.boolean().optional(),
  keyPrefix: z.string().optional(),
  resultBackend: z.string().optional(),
  resultKeyPrefix: z.string().optional(),
  queues: z.array(z.string().min(1)).optional(),
  events: z.boolean().optional(),
});

const redisConnection = z.strictObject({
  id: z.string().min(1).optional(),
  kind: z.literal('redis').default('redis'),
  url: z.string().min(1),
  password: z.string().optional(),
  passwordEnv: z.string().min(1).optional(),
  passwordEncrypted: z.string().optional(),
  tls: z.strictObject({ caFile: z.string().optional(), insecure: z.boolean().optional() }).optional(),
  frameworks: z.partialRecord(z.enum(['celery', 'rq', 'bullmq', 'sidekiq', 'rabbitmq']), frameworkConfig).optional(),
  sentinels: z.array(z.string().min(1)).min(1).optional(),
  masterName: z.string().min(1).optional(),
  sentinelUsername: z.string().optional(),
  sentinelPassword: z.string().optional(),
  sentinelPasswordEnv: z.string().min(1).optional(),
  db: z.number().int().min(0).optional(),
  cluster: z.boolean().optional(),
});

const rabbitConnection = z.strictObject({
  id: z.string().min(1).optional(),
  kind: z.literal('rabbitmq'),
  url: z.string().min(1),
  apiUrl: z.string().min(1).optional(),
  password: z.string().optional(),
  passwordEnv: z.string().min(1).optional(),
  passwordEncrypted: z.string().optional(),
  tls: z.strictObject({ caFile: z.string().optional(), insecure: z.boolean().optional() }).optional(),
  queues: z.array(z.string()).optional(),
  frameworks: z.partialRecord(z.enum(['celery', 'rq', 'bullmq', 'sidekiq', 'rabbitmq']), frameworkConfig).optional(),
});

/** A connection entry: `kind` picks the schema, so an error names the right field; no `kind` is Redis. */
const connection = z.preprocess(
  (v) => (typeof v === 'object' && v !== null && !('kind' in v) ? { ...v, kind: 'redis' } : v),
  z.discriminatedUnion('kind', [redisConnection, rabbitConnection]),
);

/**
 * The tray app's config schema. Unknown keys are kept for later versions of the tray app at the
 * top level (it stores its own window and alert settings there) but refused inside a connection,
 * where a typo would silently drop a setting.
 */
const appConfig = z.looseObject({
  connections: z.array(connection).default([]),
  pollInterval: z.string().regex(/^\d+(ms|s|m|h)$/, 'a duration like "5s"').optional(),
  readOnly: z.boolean().optional(),
});

/** Validates a parsed config document; throws BAD_CONFIG naming the first wrong field. */
export function parseAppConfig(document: unknown, source: string): AppConfig {
  const result = appConfig.safeParse(document ?? {});
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const where = issue.path.length ? issue.path.join('.') : '(top level)';
    throw new ConfigError('BAD_CONFIG', `${source}: ${where}: ${issue.message}`);
  }
  return result.data as AppConfig;
}

/** Parses a user-written duration ("500ms", "5s", "10m", "1h") into ms, refusing less than `minMs`. */
export function parseDuration(text: string, what: string, minMs = 0): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new ConfigError('BAD_USAGE', `${what}: "${text}" is not a duration (e.g. 5s, 500ms, 10m)`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  const ms = Math.round(Number(m[1]) * unit);
  if (ms < minMs) throw new ConfigError('BAD_USAGE', `${what}: ${text} is too short; the least is ${minMs} ms`);
  return ms;
}

/** The shortest poll interval: polling faster would load the broker for no reader's benefit. */
export const minPollIntervalMs = 500;
