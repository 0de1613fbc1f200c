import type { ConnectionStatus, Framework, QueueFigures, WorkerInfo } from './figures.js';
import type { ApiError } from './errors.js';
import type { TaskDetail } from './task.js';

/** One connection as the dashboard shows it. */
export interface ConnectionView {
  /** The connection's id (its config name, or derived from the URL). */
  id: string;
  /** The connection URL with any password removed. */
  url: string;
  status: ConnectionStatus;
  /** Why the status is not `ok` (code and plain detail); `null` when ok. */
  statusReason: ApiError | null;
  /** Frameworks detected on this connection, in a stable order. */
  frameworks: Framework[];
  queues: QueueFigures[];
  workers: WorkerInfo[];
  /** When the figures shown were read (epoch ms); `null` before the first good poll. */
  takenAt: number | null;
  /** The last poll that read the broker successfully (epoch ms); `null` if none yet. */
  lastGoodPollAt: number | null;
  /** Duration of the last poll in ms; `null` before the first. */
  pollDurationMs: number | null;
  /** Redis commands (or HTTP requests) sent by the last poll; `null` before the first. */
  commandsPerPoll: number | null;
  /** Round trips taken by the last poll; `null` before the first. */
  roundTripsPerPoll: number | null;
  /**
   * The broker's own health (memory, CPU, clients, load, evictions) read by the last good poll;
   * absent before the first. A figure that could not be read is `null` with the reason in `notes`.
   */
  broker?: BrokerFigures;
}

/** Broker health figures, one kind per broker. */
export type BrokerFigures = RedisBrokerFigures | RabbitBrokerFigures;

/** The figures of a Redis broker's INFO, read once per poll (INFO rides in the poll's first batch). */
export interface RedisBrokerFigures {
  kind: 'redis';
  /** When INFO was read (epoch ms). */
  takenAt: number;
  /**
   * Servers the figures cover: 1, or every master of a Redis Cluster (memory, clients, ops/s,
   * evictions and CPU are then summed over them; version and uptime are the lowest).
   */
  nodes: number;
  /** `redis_version`. */
  version: string | null;
  /** `uptime_in_seconds`. */
  uptimeSeconds: number | null;
  /** `used_memory`, bytes. */
  usedMemoryBytes: number | null;
  /** `maxmemory`, bytes; `0` means no limit is set. */
  maxMemoryBytes: number | null;
  /** `maxmemory_policy` (a queue broker wants `noeviction`). */
  maxMemoryPolicy: string | null;
  /** `mem_fragmentation_ratio`. */
  memFragmentationRatio: number | null;
  /**
   * CPU used by the server (used_cpu_sys + used_cpu_user) over the time between this poll's INFO and
   * the previous one's, in percent of one core; `null` on the first poll or after a restart.
   */
  cpuPercent: number | null;
  /** `connected_clients`. */
  connectedClients: number | null;
  /** `instantaneous_ops_per_sec` (the server's own moving estimate). */
  opsPerSec: number | null;
  /** `evicted_keys` since the server started: a queue broker should never evict. */
  evictedKeys: number | null;
  /** Keys evicted since the previous poll; `null` on the first poll or after a restart. */
  evictedKeysDelta: number | null;
  /** Why a figure is `null`, by figure name. */
  notes: Partial<Record<RedisBrokerFigureName, string>>;
}

export type RedisBrokerFigureName = Exclude<keyof RedisBrokerFigures, 'kind' | 'takenAt' | 'nodes' | 'notes'>;

/**
 * A RabbitMQ broker's health from the management API (`/api/nodes`, `/api/overview`). Without
 * the management plugin only what AMQP tells is known: `nodes` is `null` with a note.
 */
export interface RabbitBrokerFigures {
  kind: 'rabbitmq';
  /** When the figures were read (epoch ms). */
  takenAt: number;
  /** `rabbitmq_version` (from the overview, or the AMQP server properties). */
  version: string | null;
  /** Every node of the cluster; `null` when they cannot be read (plugin off, no monitoring tag). */
  nodes: RabbitNodeFigures[] | null;
  /**
   * Resource alarms in effect, in words (`memory alarm on rabbit@host`); `[]` when none;
   * `null` when the nodes cannot be read. A publisher is blocked while one is in effect.
   */
  alarms: string[] | null;
  /** Why a figure is `null`, by figure name. */
  notes: Partial<Record<'version' | 'nodes' | 'alarms', string>>;
}

/** One RabbitMQ node's resources; a figure the node did not report is `null`. */
export interface RabbitNodeFigures {
  name: string;
  running: boolean | null;
  /** `mem_used`, bytes. */
  memoryUsedBytes: number | null;
  /** `mem_limit`, bytes: the memory high watermark. */
  memoryLimitBytes: number | null;
  memoryAlarm: boolean | null;
  /** `disk_free`, bytes. */
  diskFreeBytes: number | null;
  /** `disk_free_limit`, bytes: below it the disk alarm goes off. */
  diskFreeLimitBytes: number | null;
  diskFreeAlarm: boolean | null;
  /** `fd_used` / `fd_total`: file descriptors. */
  fdUsedCount: number | null;
  fdTotalCount: number | null;
  /** `sockets_used` / `sockets_total`. */
  socketsUsedCount: number | null;
  socketsTotalCount: number | null;
  /** `proc_used` / `proc_total`: Erlang processes. */
  processesUsedCount: number | null;
  processesTotalCount: number | null;
  /** `uptime`, ms. */
  uptimeMs: number | null;
  /** Nodes this one sees as partitioned away (network split); `[]` when none. */
  partitions: string[] | null;
}

/** `dashboard --json`: every connection. */
export interface DashboardView {
  connections: ConnectionView[];
  /** When this view was assembled (epoch ms). */
  generatedAt: number;
}

/** `queue --name X --json`: every match across connections and frameworks. */
export interface QueuesView {
  queues: QueueFigures[];
}

/** `task --id X --json`. */
export interface TaskView {
  task: TaskDetail;
  /** Further matches of the same id on other connections or frameworks (rare). */
  others?: TaskDetail[];
}
