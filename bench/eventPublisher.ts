import { Redis } from 'ioredis';

/**
 * Plays Celery's side for the event benchmark: publishes task events on the channels kombu uses
 * with a Redis broker (`/<db>.celeryev/<routing key>`), in Celery 5.2.6's envelope, at a steady
 * `rate` events per second for `seconds`. Each task is one `task-sent` from its producer and
 * received / started / succeeded from the worker, which a prefork pool batches into
 * `task.multi` messages of up to 24 events. Prints the number of events published.
 */
const [url, rateArg, secondsArg] = process.argv.slice(2);
const rate = Number(rateArg);
const seconds = Number(secondsArg);
const db = 0;
const tickMs = 10;

function envelope(body: unknown, routingKey: string, hostname: string): Buffer {
  return Buffer.from(JSON.stringify({
    body: Buffer.from(JSON.stringify(body)).toString('base64'),
    'content-encoding': 'utf-8', 'content-type': 'application/json', headers: { hostname },
    properties: { delivery_mode: 1, delivery_info: { exchange: 'celeryev', routing_key: routingKey }, priority: 0, body_encoding: 'base64', delivery_tag: 'bench' },
  }));
}

let clock = 0;
let taskNumber = 0;
function taskEvents(ts: number, hostname: string): { sent: Record<string, unknown>; worker: Record<string, unknown>[] } {
  const uuid = `00000000-0000-4000-8000-${String(taskNumber++).padStart(12, '0')}`;
  const base = (type: string, t: number, host: string) => ({ hostname: host, utcoffset: 0, pid: 4242, clock: ++clock, uuid, timestamp: t, type });
  const named = { name: 'bench.add', args: '[1, 2]', kwargs: '{}', root_id: uuid, parent_id: null, retries: 0, eta: null, expires: null };
  return {
    sent: { ...base('task-sent', ts, 'producer@bench'), ...named, queue: `q${taskNumber % 20}`, exchange: '', routing_key: `q${taskNumber % 20}` },
    worker: [
      { ...base('task-received', ts + 0.001, hostname), ...named },
      { ...base('task-started', ts + 0.002, hostname) },
      { ...base('task-succeeded', ts + 0.010, hostname), result: '3', runtime: 0.008 },
    ],
  };
}

const redis = new Redis(url!, { db });
const channel = (rk: string) => `/${db}.celeryev/${rk}`;
const perTick = (rate * tickMs) / 1000;
let published = 0;
let owed = 0;
let batch: Record<string, unknown>[] = [];
const started = performance.now();
let next = started;
while (performance.now() - started < seconds * 1000) {
  owed += perTick;
  const p = redis.pipeline();
  const ts = Date.now() / 1000;
  while (owed >= 4) {
    const worker = `w${taskNumber % 8}@bench`;
    const { sent, worker: events } = taskEvents(ts, worker);
    p.publish(channel('task.sent'), envelope(sent, 'task.sent', 'producer@bench'));
    batch.push(...events);
    if (batch.length >= 24) {
      p.publish(channel('task.multi'), envelope(batch, 'task.multi', worker));
      batch = [];
    }
    owed -= 4;
    published += 4;
  }
  await p.exec();
  next += tickMs;
  const wait = next - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}
if (batch.length) await redis.publish(channel('task.multi'), envelope(batch, 'task.multi', 'w0@bench'));
await redis.quit();
// The events still in `batch` went out in the last message: every counted event was published.
process.stdout.write(`${published}\n`);
