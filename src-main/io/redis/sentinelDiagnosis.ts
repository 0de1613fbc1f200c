import type { ConnectionOptions } from 'node:tls';
import { Redis } from 'ioredis';
import type { ApiError } from '../../contract/errors.js';
import { describeTarget, type RedisTarget } from '../../core/config/redisUrl.js';
import { classifyRedisError } from './redisErrors.js';

type Answer =
  | { sentinel: string; kind: 'master'; host: string; port: number }
  | { sentinel: string; kind: 'unknown-master' }
  | { sentinel: string; kind: 'failed'; error: ApiError };

/**
 * When a connection through Sentinel fails, ioredis says only "All sentinels are unreachable".
 * This asks each sentinel itself (SENTINEL GET-MASTER-ADDR-BY-NAME, read-only) and says which it
 * is: no sentinel answers, a sentinel refuses the sentinel password, the master's name is unknown
 * to them. `null`: the sentinels answer with the master's address, so the failure is the master's own.
 */
export async function diagnoseSentinels(target: RedisTarget, opts: { connectTimeoutMs: number; tls?: ConnectionOptions }): Promise<ApiError | null> {
  const s = target.sentinel;
  if (!s) return null;
  const answers = await Promise.all(s.sentinels.map(async ({ host, port }): Promise<Answer> => {
    const sentinel = `${host.includes(':') ? `[${host}]` : host}:${port}`;
    const client = new Redis({
      host, port, username: s.username ?? undefined, password: s.password ?? undefined, tls: opts.tls,
      lazyConnect: true, enableReadyCheck: false, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null,
      connectTimeout: opts.connectTimeoutMs, commandTimeout: opts.connectTimeoutMs, protocol: 2,
    });
    let lastError: Error | null = null;
    client.on('error', (error: Error) => { lastError = error; });
    try {
      await client.connect();
      const reply = await client.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', s.masterName) as [string, string] | null;
      if (!Array.isArray(reply)) return { sentinel, kind: 'unknown-master' };
      return { sentinel, kind: 'master', host: reply[0], port: Number(reply[1]) };
    } catch (error) {
      const cause = /Connection is closed|Stream isn't writeable/i.test(String((error as Error)?.message)) && lastError ? lastError : error;
      return { sentinel, kind: 'failed', error: classifyRedisError(cause, `sentinel ${sentinel}`) };
    } finally {
      client.disconnect();
    }
  }));
  const where = describeTarget(target);
  const master = answers.find((a) => a.kind === 'master');
  // The sentinels are fine: the failure is the master's own (its password, its address), as ioredis said.
  if (master) return null;
  const failed = answers.filter((a): a is Extract<Answer, { kind: 'failed' }> => a.kind === 'failed');
  const auth = failed.find((a) => a.error.code === 'AUTH_FAILED');
  if (auth) {
    return {
      code: 'AUTH_FAILED',
      detail: `${where}: ${auth.error.detail.replace(/username or password/, 'sentinel password')} (the sentinels' own password is sentinel_password= in the URL or "sentinelPassword" in the config)`,
    };
  }
  const perm = failed.find((a) => a.error.code === 'PERMISSION_DENIED');
  if (perm) return { code: 'PERMISSION_DENIED', detail: perm.error.detail };
  if (answers.some((a) => a.kind === 'unknown-master')) {
    const asked = answers.filter((a) => a.kind === 'unknown-master').map((a) => a.sentinel).join(', ');
    return { code: 'TARGET_UNREACHABLE', detail: `${where}: the sentinels (${asked}) monitor no master named "${s.masterName}" (check the master name)` };
  }
  const timeout = failed.every((a) => a.error.code === 'TIMEOUT');
  return {
    code: timeout ? 'TIMEOUT' : 'TARGET_UNREACHABLE',
    detail: `${where}: no sentinel answered (${failed.map((a) => a.error.detail).join('; ')})`,
  };
}
