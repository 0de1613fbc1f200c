/**
 * Celery event messages as kombu publishes them on Redis (shape recorded live from celery 5.2.6:
 * a JSON envelope whose base64 body is one event, or a JSON array of them under `task.multi`).
 */
export function eventMessage(body: unknown, routingKey: string, hostname = 'w1@test'): Buffer {
  return Buffer.from(JSON.stringify({
    body: Buffer.from(JSON.stringify(body)).toString('base64'),
    'content-encoding': 'utf-8',
    'content-type': 'application/json',
    headers: { hostname },
    properties: {
      delivery_mode: 1, delivery_info: { exchange: 'celeryev', routing_key: routingKey }, priority: 0,
      body_encoding: 'base64', delivery_tag: '5c7b0b6e-6c1c-4a47-9d5c-0d4a3c1e2f00',
    },
  }));
}

let clock = 0;

/** A worker event (`worker-heartbeat`, …) with the fields Celery 5.2.6 sends; `ts` in epoch seconds. */
export function workerEvent(type: string, hostname: string, ts: number, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    hostname, utcoffset: 0, pid: 4242, clock: ++clock, freq: 2.0, active: 0, processed: 0, loadavg: [0.1, 0.2, 0.3],
    sw_ident: 'py-celery', sw_ver: '5.2.6', sw_sys: 'Linux', timestamp: ts, type, ...fields,
  };
}

/** A task event with the fields of its type (uuid, name/args on sent and received). */
export function taskEvent(type: string, uuid: string, ts: number, fields: Record<string, unknown> = {}, hostname = 'w1@test'): Record<string, unknown> {
  const base: Record<string, unknown> = { hostname, utcoffset: 0, pid: 4242, clock: ++clock, uuid, timestamp: ts, type };
  if (type === 'task-sent' || type === 'task-received') {
    Object.assign(base, { name: 'tsapp.add', args: '[1, 2]', kwargs: '{}', root_id: uuid, parent_id: null, retries: 0, eta: null, expires: null });
  }
  if (type === 'task-sent') Object.assign(base, { hostname: 'gen1@test', queue: 'celery', exchange: '', routing_key: 'celery' });
  return { ...base, ...fields };
}

/** The channel kombu publishes on for a routing key in a database, with a broker prefix. */
export function channel(routingKey: string, db = 0, prefix = ''): string {
  return `${prefix}/${db}.celeryev/${routingKey}`;
}
