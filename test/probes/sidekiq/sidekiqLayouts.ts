import type { FixtureKey, FixtureValue, RedisFixture } from '../../support/fixtures.js';

/**
 * The 7.x and 8.x layouts, written from a live 6.4 recording by the differences the layout notes
 * give (shared/reference/queue-layouts.md §4.6, read from Sidekiq's source; no 7/8 is installed
 * here), and the redis-namespace layout of 6.x:
 * - 7.0: the work hash `<identity>:workers` is renamed `<identity>:work`; beats every 10 s.
 * - 8.x: job times `created_at`, `enqueued_at`, `failed_at`, `retried_at` become integer epoch
 *   milliseconds (zset scores, `beat`, `started_at`, `run_at` stay seconds); `info` gains
 *   `version`, `capsules`, `embedded`; 8.1 moves `concurrency` to its own hash field; the
 *   backtrace is strict base64.
 * - namespace: redis-namespace prepends `<ns>:` to every key.
 */
const jobTimes = ['created_at', 'enqueued_at', 'failed_at', 'retried_at'] as const;

function text(v: FixtureValue): string {
  if (typeof v !== 'string') throw new Error('a Sidekiq fixture holds only UTF-8 text');
  return v;
}

/** A job JSON with its times in integer ms (as 8.x writes `(Time.now.to_f * 1000).to_i`). */
export function jobToV8(json: string): string {
  let job: Record<string, unknown>;
  try { job = JSON.parse(json) as Record<string, unknown>; } catch { return json; }
  if (typeof job !== 'object' || job === null || !('jid' in job)) return json;
  for (const t of jobTimes) if (typeof job[t] === 'number') job[t] = Math.floor((job[t] as number) * 1000);
  if (typeof job.error_backtrace === 'string') job.error_backtrace = job.error_backtrace.replace(/\n/g, '');
  return JSON.stringify(job);
}

function workToV8(json: string): string {
  const work = JSON.parse(json) as { payload: string };
  return JSON.stringify({ ...work, payload: jobToV8(work.payload) });
}

function isProcessHash(k: FixtureKey): k is Extract<FixtureKey, { type: 'hash' }> {
  return k.type === 'hash' && k.fields.some(([f]) => f === 'beat');
}

export function toV7(fixture: RedisFixture, version = '7.3'): RedisFixture {
  const keys = fixture.keys.map((k): FixtureKey => (k.type === 'hash' && text(k.key).endsWith(':workers')
    ? { ...k, key: `${text(k.key).slice(0, -':workers'.length)}:work` } : k));
  return {
    ...fixture, version, keys,
    description: `${fixture.description}. Written from the live 6.4 recording with the 7.x layout (queue-layouts.md §4.6, from source): <identity>:workers renamed <identity>:work`,
  };
}

export function toV8(fixture: RedisFixture, version = '8.1'): RedisFixture {
  const v7 = toV7(fixture, version);
  const keys = v7.keys.map((k): FixtureKey => {
    switch (k.type) {
      case 'list': return { ...k, items: k.items.map((i) => jobToV8(text(i))) };
      case 'zset': return { ...k, members: k.members.map(([m, s]): [FixtureValue, string] => [jobToV8(text(m)), s]) };
      case 'hash':
        if (text(k.key).endsWith(':work')) return { ...k, fields: k.fields.map(([f, v]) => [f, workToV8(text(v))]) };
        if (isProcessHash(k)) {
          const fields = k.fields.map(([f, v]): [FixtureValue, FixtureValue] => {
            if (f !== 'info') return [f, v];
            const info = JSON.parse(text(v)) as Record<string, unknown>;
            const { concurrency, ...rest } = info;
            return [f, JSON.stringify({ ...rest, version: '8.1.7', embedded: false, capsules: { default: { concurrency, mode: 'strict', weights: Object.fromEntries((info.queues as string[]).map((q) => [q, 0])) } } })];
          });
          const concurrency = JSON.parse(text(k.fields.find(([f]) => f === 'info')![1])) as { concurrency: number };
          return { ...k, fields: [...fields, ['concurrency', String(concurrency.concurrency)]] };
        }
        return k;
      default: return k;
    }
  });
  const expect = Object.fromEntries(Object.entries(fixture.expect).map(([q, e]) => {
    const tail = keys.find((k) => k.type === 'list' && k.key === `queue:${q}`) as Extract<FixtureKey, { type: 'list' }> | undefined;
    const last = tail?.items[tail.items.length - 1];
    const oldestWaitingAt = last ? (JSON.parse(text(last)) as { enqueued_at: number }).enqueued_at : e.oldestWaitingAt;
    return [q, { ...e, oldestWaitingAt }];
  }));
  return {
    ...v7, keys, expect,
    description: `${fixture.description}. Written from the live 6.4 recording with the 8.1 layout (queue-layouts.md §4.6, from source): :work hash, job times as integer ms, info with version/capsules/embedded, concurrency as its own field, strict base64 backtraces`,
  };
}

/** The same layout under a redis-namespace prefix, beside an RQ registry set that must not be taken for one. */
export function toNamespace(fixture: RedisFixture, prefix: string): RedisFixture {
  const keys: FixtureKey[] = fixture.keys.map((k) => ({ ...k, key: `${prefix}${text(k.key)}` }));
  keys.push({ key: 'rq:queues', type: 'set', members: ['rq:queue:not-sidekiq'] });
  return {
    ...fixture, scenario: `namespace-${fixture.scenario}`, keys,
    description: `${fixture.description}. Every key then prefixed with "${prefix}" as redis-namespace writes it (ruby-redis-namespace is not installed here, so this layout is made from the live one), plus an RQ rq:queues set`,
  };
}
