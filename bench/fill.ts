import { Redis, type ChainableCommander } from 'ioredis';

export type BenchFramework = 'rq' | 'celery' | 'bullmq' | 'sidekiq';

/**
 * Fills one database of a private Redis, by pipeline and with minimal payloads, with the real
 * layouts of the given frameworks (the ones their probes detect, see each probe's README.md):
 * `queues` queues split evenly between the frameworks and `jobs` jobs spread evenly over the
 * queues. Only what a monitor reads is written: RQ job hashes carry just their enqueue time,
 * BullMQ job hashes the fields BullMQ 6.x writes at add (no data), Sidekiq jobs the keys
 * Sidekiq 6.x puts in every job JSON.
 */
export async function fillLayouts(url: string, db: number, queues: number, jobs: number,
  frameworks: readonly BenchFramework[] = ['rq', 'celery']): Promise<void> {
  const redis = new Redis(url, { db });
  const perQueue = Math.floor(jobs / queues);
  const batch = 10_000;
  let p = redis.pipeline();
  let pending = 0;
  const writer: Writer = {
    get p() { return p; },
    async added(n: number) {
      pending += n;
      if (pending >= batch) await flush();
    },
  };
  const flush = async () => {
    if (pending === 0) return;
    await p.exec();
    p = redis.pipeline();
    pending = 0;
  };
  const now = Date.now();
  for (const [i, framework] of frameworks.entries()) {
    // The first frameworks take the remainder, so the counts add up to `queues` exactly.
    const count = Math.floor(queues / frameworks.length) + (i < queues % frameworks.length ? 1 : 0);
    await fillers[framework](writer, count, perQueue, now);
  }
  await flush();
  redis.disconnect();
}

interface Writer {
  readonly p: ChainableCommander;
  /** Counts commands queued on `p`, sending the pipeline every 10,000. */
  added(n: number): Promise<void>;
}

type Filler = (w: Writer, queues: number, perQueue: number, now: number) => Promise<void>;

/** Chunks of a queue's jobs, 1000 at a time: [first index, count]. */
function* chunks(total: number, size = 1000): Generator<[number, number]> {
  for (let j = 0; j < total; j += size) yield [j, Math.min(size, total - j)];
}

/** RQ 1.x: `rq:queues` names `rq:queue:<q>` lists of job ids; `rq:job:<id>` hashes. */
const fillRq: Filler = async (w, queues, perQueue, now) => {
  // RQ's format: microseconds and Z.
  const enqueuedAt = new Date(now - 60_000).toISOString().replace('Z', '000Z');
  for (let q = 0; q < queues; q++) {
    const name = `rq-q${q}`;
    w.p.sadd('rq:queues', `rq:queue:${name}`);
    for (const [j, n] of chunks(perQueue)) {
      const ids = Array.from({ length: n }, (_, k) => `${name}-j${j + k}`);
      w.p.rpush(`rq:queue:${name}`, ...ids);
      for (const id of ids) w.p.hset(`rq:job:${id}`, 'status', 'queued', 'origin', name, 'enqueued_at', enqueuedAt);
      await w.added(n + 1);
    }
  }
};

/** Celery on Redis (Kombu): the queue's binding in `_kombu.binding.celery`, messages in a list named as the queue. */
const fillCelery: Filler = async (w, queues, perQueue) => {
  const message = JSON.stringify({ body: 'W1tdLCB7fSwge31d', 'content-encoding': 'utf-8', 'content-type': 'application/json',
    headers: { task: 'bench.noop', id: 'x', retries: 0, eta: null }, properties: { priority: 0, delivery_tag: 'x', body_encoding: 'base64' } });
  for (let q = 0; q < queues; q++) {
    const name = `celery-q${q}`;
    w.p.sadd('_kombu.binding.celery', `${name}\x06\x16\x06\x16${name}`);
    for (const [, n] of chunks(perQueue)) {
      w.p.lpush(name, ...Array.from({ length: n }, () => message));
      await w.added(n);
    }
  }
};

/**
 * BullMQ 6.x under the default prefix `bull` (bullmq/README.md): per queue the `id` counter,
 * `meta` (version, maxLenEvents; `paused` on every tenth queue, whose jobs stay in `wait` as 6.x
 * keeps them), an `events` stream with a few entries, and each job in exactly one of `wait`
 * (list, LPUSH), `prioritized` (score priority × 2^32 + counter), `delayed` (score run-at ms ×
 * 4096 + counter), `active` (list), `completed` / `failed` (score finishedOn), with its hash.
 */
const fillBullmq: Filler = async (w, queues, perQueue, now) => {
  const share = (f: number) => Math.floor(perQueue * f);
  for (let q = 0; q < queues; q++) {
    const base = `bull:bq${q}`;
    const counts = { completed: share(0.2), failed: share(0.04), delayed: share(0.1), prioritized: share(0.06), active: Math.min(10, share(0.01)) };
    const waiting = perQueue - counts.completed - counts.failed - counts.delayed - counts.prioritized - counts.active;
    w.p.set(`${base}:id`, String(perQueue));
    w.p.hset(`${base}:meta`, 'opts.maxLenEvents', '10000', 'version', 'bullmq:6.7.6', ...(q % 10 === 9 ? ['paused', '1'] : []));
    let id = 0;
    const states: [keyof typeof counts | 'wait', number][] = [
      ['completed', counts.completed], ['failed', counts.failed], ['active', counts.active],
      ['delayed', counts.delayed], ['prioritized', counts.prioritized], ['wait', waiting],
    ];
    for (const [state, total] of states) {
      for (const [, n] of chunks(total)) {
        const ids = Array.from({ length: n }, () => String(++id));
        // Jobs were added over the last hour, in id order.
        const added = (k: number) => now - 3_600_000 + Math.floor((Number(ids[k]) / perQueue) * 3_000_000);
        const hashes = ids.map((jobId, k) => {
          const fields = ['name', 'bench', 'data', '{}', 'opts', '{"attempts":0}', 'timestamp', String(added(k)), 'delay', '0', 'priority', '0'];
          if (state === 'delayed') fields.splice(9, 1, '600000');
          if (state === 'prioritized') fields.splice(11, 1, '2');
          if (state === 'active' || state === 'completed' || state === 'failed') fields.push('processedOn', String(added(k) + 10), 'ats', '1', 'atm', '1');
          if (state === 'completed') fields.push('finishedOn', String(added(k) + 20), 'returnvalue', 'null');
          if (state === 'failed') fields.push('finishedOn', String(added(k) + 20), 'failedReason', 'bench', 'stacktrace', '[]');
          return [`${base}:${jobId}`, fields] as const;
        });
        for (const [key, fields] of hashes) w.p.hset(key, ...fields);
        if (state === 'wait') w.p.lpush(`${base}:wait`, ...ids);
        else if (state === 'active') w.p.lpush(`${base}:active`, ...ids);
        else if (state === 'completed' || state === 'failed') w.p.zadd(`${base}:${state}`, ...ids.flatMap((jobId, k) => [String(added(k) + 20), jobId]));
        else if (state === 'delayed') w.p.zadd(`${base}:delayed`, ...ids.flatMap((jobId, k) => [String((added(k) + 600_000) * 0x1000 + (Number(jobId) & 0xfff)), jobId]));
        else w.p.zadd(`${base}:prioritized`, ...ids.flatMap((jobId) => [String(2 * 0x100000000 + Number(jobId)), jobId]));
        await w.added(n + 1);
      }
    }
    for (let e = 0; e < 10; e++) w.p.xadd(`${base}:events`, 'MAXLEN', '~', '10000', '*', 'event', 'waiting', 'jobId', String(perQueue - e));
    await w.added(12);
  }
};

/**
 * Sidekiq 6.x without a namespace (sidekiq/README.md): `queues` (set of names), `queue:<q>`
 * lists of job JSON, the `schedule` / `retry` / `dead` zsets (scored in epoch seconds, 4%, 2% and
 * 1% of every queue's jobs), the all-time counters, and ten processes: `processes` (set of
 * identities), each one's hash (`info` JSON, `busy`, `beat`, `quiet`, `rss`, `rtt_us`) and the
 * `:workers` hash of its busy threads. The process hashes get no TTL: nobody beats during a bench.
 */
const fillSidekiq: Filler = async (w, queues, perQueue, now) => {
  const nowS = now / 1000;
  const names = Array.from({ length: queues }, (_, q) => `sq${q}`);
  let jid = 0;
  const job = (queue: string, at: number, extra = '') =>
    `{"retry":true,"queue":"${queue}","class":"BenchJob","args":[],"jid":"${(++jid).toString(16).padStart(24, '0')}","created_at":${at},"enqueued_at":${at}${extra}}`;
  const share = (f: number) => Math.floor(perQueue * f);
  for (const name of names) {
    w.p.sadd('queues', name);
    const sets = { schedule: share(0.04), retry: share(0.02), dead: share(0.01) };
    const listed = perQueue - sets.schedule - sets.retry - sets.dead;
    for (const [j, n] of chunks(listed)) {
      // LPUSH: the tail (index -1) is the oldest, enqueued an hour ago.
      w.p.lpush(`queue:${name}`, ...Array.from({ length: n }, (_, k) => job(name, nowS - 3600 + (j + k) / 100)));
      await w.added(n);
    }
    for (const [set, total] of Object.entries(sets)) {
      for (const [j, n] of chunks(total)) {
        const failed = set === 'schedule' ? '' : `,"error_message":"bench","error_class":"RuntimeError","failed_at":${nowS - 60},"retry_count":0`;
        const score = (k: number) => (set === 'dead' ? nowS - 60 : nowS + 600 + j + k);
        w.p.zadd(set, ...Array.from({ length: n }, (_, k) => [String(score(k)), job(name, nowS - 120, failed)]).flat());
        await w.added(n);
      }
    }
  }
  w.p.set('stat:processed', '1000000');
  w.p.set('stat:failed', '20000');
  for (let i = 0; i < 10; i++) {
    const identity = `bench-host:${1000 + i}:${(0xc8a471c00dd2 + i).toString(16)}`;
    const listens = names.filter((_, q) => q % 10 === i);
    const info = JSON.stringify({ hostname: 'bench-host', started_at: nowS - 3600, pid: 1000 + i, tag: 'bench', concurrency: 5, queues: listens, labels: [], identity });
    w.p.sadd('processes', identity);
    w.p.hset(identity, 'info', info, 'busy', i < 2 ? '1' : '0', 'beat', String(nowS), 'quiet', 'false', 'rss', '30424', 'rtt_us', '114');
    if (i < 2 && listens[0]) {
      w.p.hset(`${identity}:workers`, 'gi', JSON.stringify({ queue: listens[0], payload: job(listens[0], nowS - 5), run_at: Math.floor(nowS) }));
    }
    await w.added(3);
  }
};

const fillers: Record<BenchFramework, Filler> = { rq: fillRq, celery: fillCelery, bullmq: fillBullmq, sidekiq: fillSidekiq };
