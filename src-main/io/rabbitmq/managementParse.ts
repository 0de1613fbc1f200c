import type { RabbitNodeStats, RabbitOverview, RabbitQueueRates, RabbitQueueStats } from './rabbitTypes.js';

/**
 * The management API's JSON, read defensively: a field that is missing, `null` (a queue declared
 * since the last statistics emission) or not a finite number becomes `undefined`, and an item
 * without a name is dropped. `message_stats` is absent on a queue that never had traffic, and
 * `[]` when selected through `columns=` on such a queue (live, 3.10).
 */
type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function bool(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function rate(stats: Json, name: string): number | undefined {
  const details = stats[`${name}_details`];
  return isObject(details) ? num(details.rate) : undefined;
}

export function parseQueue(item: unknown, vhost: string): RabbitQueueStats | null {
  if (!isObject(item) || typeof item.name !== 'string') return null;
  const queue: RabbitQueueStats = { name: item.name, vhost: str(item.vhost) ?? vhost, source: 'management' };
  const ready = num(item.messages_ready);
  const unacked = num(item.messages_unacknowledged);
  const consumers = num(item.consumers);
  if (ready !== undefined) queue.messagesReady = ready;
  if (unacked !== undefined) queue.messagesUnacknowledged = unacked;
  if (consumers !== undefined) queue.consumers = consumers;
  const type = str(item.type);
  if (type !== undefined) queue.type = type;
  const head = num(item.head_message_timestamp);
  if (head !== undefined) queue.headMessageTimestampMs = head * 1000;
  if (isObject(item.arguments)) queue.arguments = item.arguments;
  if (isObject(item.message_stats)) {
    const stats = item.message_stats;
    const rates: RabbitQueueRates = {};
    const fields = { publish: 'publish', deliver: 'deliver', deliverNoAck: 'deliver_no_ack', getNoAck: 'get_no_ack', ack: 'ack', redeliver: 'redeliver' } as const;
    for (const [key, name] of Object.entries(fields) as [keyof RabbitQueueRates, string][]) {
      const value = rate(stats, name);
      if (value !== undefined) rates[key] = value;
    }
    if (Object.keys(rates).length > 0) queue.rates = rates;
  }
  return queue;
}

export function parseNode(item: unknown): RabbitNodeStats | null {
  if (!isObject(item) || typeof item.name !== 'string') return null;
  const node: RabbitNodeStats = { name: item.name };
  const set = <K extends keyof RabbitNodeStats>(key: K, value: RabbitNodeStats[K] | undefined) => {
    if (value !== undefined) node[key] = value;
  };
  set('running', bool(item.running));
  set('memUsed', num(item.mem_used));
  set('memLimit', num(item.mem_limit));
  set('memAlarm', bool(item.mem_alarm));
  set('diskFree', num(item.disk_free));
  set('diskFreeLimit', num(item.disk_free_limit));
  set('diskFreeAlarm', bool(item.disk_free_alarm));
  set('fdUsed', num(item.fd_used));
  set('fdTotal', num(item.fd_total));
  set('socketsUsed', num(item.sockets_used));
  set('socketsTotal', num(item.sockets_total));
  set('procUsed', num(item.proc_used));
  set('procTotal', num(item.proc_total));
  set('uptimeMs', num(item.uptime));
  if (Array.isArray(item.partitions)) set('partitions', item.partitions.filter((p): p is string => typeof p === 'string'));
  return node;
}

export function parseOverview(body: unknown): RabbitOverview {
  const o = isObject(body) ? body : {};
  const overview: RabbitOverview = { isStatsDisabled: o.disable_stats === true };
  const version = str(o.rabbitmq_version);
  const management = str(o.management_version);
  const cluster = str(o.cluster_name);
  if (version !== undefined) overview.rabbitmqVersion = version;
  if (management !== undefined) overview.managementVersion = management;
  if (cluster !== undefined) overview.clusterName = cluster;
  return overview;
}
