import { Redis } from 'ioredis';

/**
 * Fills one database of a private Redis, by pipeline and with minimal payloads, with RQ and Celery
 * layouts: `queues` queues split between the two frameworks and `jobs` jobs spread over them.
 * Only what a monitor reads is written: RQ job hashes carry just their enqueue time.
 */
export async function fillLayouts(url: string, db: number, queues: number, jobs: number): Promise<void> {
  const redis = new Redis(url, { db });
  const rqQueues = Math.ceil(queues / 2);
  const celeryQueues = queues - rqQueues;
  const perQueue = Math.floor(jobs / queues);
  // RQ's format: microseconds and Z.
  const enqueuedAt = new Date(Date.now() - 60_000).toISOString().replace('Z', '000Z');
  const batch = 10_000;
  let p = redis.pipeline();
  let pending = 0;
  const flush = async (force = false) => {
    if (pending >= batch || (force && pending > 0)) {
      await p.exec();
      p = redis.pipeline();
      pending = 0;
    }
  };
  for (let q = 0; q < rqQueues; q++) {
    const name = `rq-q${q}`;
    p.sadd('rq:queues', `rq:queue:${name}`);
    for (let j = 0; j < perQueue; j += 1000) {
      const ids = Array.from({ length: Math.min(1000, perQueue - j) }, (_, k) => `${name}-j${j + k}`);
      p.rpush(`rq:queue:${name}`, ...ids);
      for (const id of ids) p.hset(`rq:job:${id}`, 'status', 'queued', 'origin', name, 'enqueued_at', enqueuedAt);
      pending += ids.length + 1;
      await flush();
    }
  }
  const message = JSON.stringify({ body: 'W1tdLCB7fSwge31d', 'content-encoding': 'utf-8', 'content-type': 'application/json',
    headers: { task: 'bench.noop', id: 'x', retries: 0, eta: null }, properties: { priority: 0, delivery_tag: 'x', body_encoding: 'base64' } });
  for (let q = 0; q < celeryQueues; q++) {
    const name = `celery-q${q}`;
    p.sadd('_kombu.binding.celery', `${name}\x06\x16\x06\x16${name}`);
    for (let j = 0; j < perQueue; j += 1000) {
      p.lpush(name, ...Array.from({ length: Math.min(1000, perQueue - j) }, () => message));
      pending += 1000;
      await flush();
    }
  }
  await flush(true);
  redis.disconnect();
}
