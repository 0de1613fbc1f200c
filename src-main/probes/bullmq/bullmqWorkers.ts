import type { WorkerCounts, WorkerInfo } from '../../contract/figures.js';
import { workerClientsOf, workerLabel, type WorkerClient } from './bullmqClients.js';
import { activeReadLimit, type QueueExtras } from './bullmqQueues.js';
import { asText, isNoPerm, type Slot } from './bullmqReplies.js';

export interface WorkerReading {
  workers: WorkerInfo[] | null;
  counts: Map<string, WorkerCounts>;
  /** Why per-queue worker figures are null or partial, by queue. */
  notes: Map<string, string>;
  /** Queues a connected worker names that discovery did not know. */
  unknownQueues: string[];
  degraded?: string;
}

const noRegistry = 'offline cannot be told: BullMQ keeps no worker registry or heartbeat, so a killed worker vanishes from CLIENT LIST like one that stopped cleanly';

/**
 * Workers from the poll's CLIENT LIST (README.md "Workers"). Busy comes from the active jobs'
 * `pb` (processed by), which BullMQ writes only for named workers: a named worker is busy when an
 * active job names it; an unnamed one is idle when its queue has no active job, else unknown.
 */
export function readWorkers(
  clientReply: Slot, prefix: string, db: number, queues: readonly string[], extras: Map<string, QueueExtras>,
  connectionId: string, now: number,
): WorkerReading {
  const list = asText(clientReply);
  const counts = new Map<string, WorkerCounts>();
  const notes = new Map<string, string>();
  if (list === null) {
    const why = isNoPerm(clientReply) ? 'CLIENT LIST refused (NOPERM)' : `CLIENT LIST unreadable${clientReply instanceof Error ? `: ${clientReply.message}` : ''}`;
    for (const q of queues) {
      counts.set(q, { online: null, busy: null, offline: null });
      notes.set(q, `${why}: BullMQ workers are visible only as named client connections`);
    }
    return { workers: null, counts, notes, unknownQueues: [], degraded: `BullMQ workers: ${why}; worker figures unknown` };
  }
  const clients = workerClientsOf(list, prefix, db);
  const workers = clients.map((c) => workerInfo(c, extras.get(c.queue), connectionId, now));
  for (const q of queues) {
    const mine = workers.filter((w) => w.queues?.[0] === q);
    const unknownBusy = mine.some((w) => w.busy === null);
    counts.set(q, { online: mine.length, busy: unknownBusy ? null : mine.filter((w) => w.busy).length, offline: null });
    notes.set(q, unknownBusy
      ? `busy unknown: ${(extras.get(q)?.active ?? 0) > activeReadLimit ? `more than ${activeReadLimit} active jobs` : 'unnamed workers record no pb (processed by) on their jobs'}; ${noRegistry}`
      : noRegistry);
  }
  const unknownQueues = [...new Set(clients.map((c) => c.queue))].filter((q) => !queues.includes(q)).sort();
  return { workers, counts, notes, unknownQueues };
}

function workerInfo(c: WorkerClient, extras: QueueExtras | undefined, connectionId: string, now: number): WorkerInfo {
  const jobs = extras?.activeJobs ?? [];
  const complete = extras?.active !== null && extras?.active !== undefined && extras.active <= activeReadLimit;
  let busy: boolean | null = null;
  let currentTask: string | null = null;
  if (extras?.active === 0) busy = false;
  else if (c.workerName !== null) {
    currentTask = jobs.find(([, pb]) => pb === c.workerName)?.[0] ?? null;
    busy = currentTask !== null ? true : complete ? false : null;
  }
  return {
    name: workerLabel(c), framework: 'bullmq', connection: connectionId,
    state: 'online', busy, lastSeenAt: now, currentTask, queues: [c.queue],
    hostname: null, pid: null,
  };
}
