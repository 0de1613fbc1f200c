/**
 * BullMQ workers in CLIENT LIST. BullMQ has no worker registry and no heartbeat key: a Worker
 * names its blocking connection `<prefix>:<base64(queue)>`, or `…:w:<name>` when given a name
 * (`Queue.getWorkers()` matches exactly these), and QueueEvents `…:qe` (not a worker). So a
 * worker exists exactly while that connection does.
 */
export interface WorkerClient {
  /** The Worker's `name` option, `null` when it has none. */
  workerName: string | null;
  queue: string;
  /** CLIENT LIST `id`, unique per connection. */
  clientId: string;
  /** `ip:port` of the connection. */
  addr: string;
  db: number;
}

/** Parses CLIENT LIST, keeping the worker connections of one prefix on one database. */
export function workerClientsOf(list: string, prefix: string, db: number): WorkerClient[] {
  const out: WorkerClient[] = [];
  for (const line of list.split(/\r?\n/)) {
    const fields = new Map<string, string>();
    for (const pair of line.split(' ')) {
      const eq = pair.indexOf('=');
      if (eq > 0) fields.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    const name = fields.get('name') ?? '';
    if (!name.startsWith(`${prefix}:`) || Number(fields.get('db')) !== db) continue;
    const rest = name.slice(prefix.length + 1);
    const m = /^([A-Za-z0-9+/]+={0,2})(?::w:(.*))?$/s.exec(rest);
    if (!m) continue;
    const queue = decodeQueueName(m[1]!);
    if (queue === null) continue;
    out.push({ workerName: m[2] ?? null, queue, clientId: fields.get('id') ?? '', addr: fields.get('addr') ?? '', db });
  }
  return out;
}

/** base64 → queue name, only when it re-encodes to the same text (not a prefix that merely looks alike). */
function decodeQueueName(b64: string): string | null {
  const name = Buffer.from(b64, 'base64').toString('utf8');
  return name && !name.includes(':') && Buffer.from(name, 'utf8').toString('base64') === b64 ? name : null;
}

/** How a worker is named to people: its `name` option, else `unnamed@<addr>`. */
export function workerLabel(c: WorkerClient): string {
  return c.workerName ?? `unnamed@${c.addr}`;
}
