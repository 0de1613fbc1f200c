/**
 * What task-status keeps of the Celery events it heard in one namespace. The monitor owns it and
 * only `fold` and `prune` write it (Flower's single-writer state, STYLE.md habit 6); polls read it.
 * Times named `…At` are epoch ms: task times are the sender's clock (event `timestamp`), worker
 * liveness times are task-status's own clock at arrival.
 */
export interface CeleryEventState {
  /** When listening began (the first message or prune); `null` until then. */
  heardSince: number | null;
  /** Arrival of the last message. */
  lastHeardAt: number | null;
  /** Messages folded, task events among them, and messages that did not decode. */
  messageCount: number;
  taskEventCount: number;
  undecodableCount: number;
  lastError: string | null;
  tasks: Map<string, TaskRecord>;
  workers: Map<string, WorkerRecord>;
  /**
   * Finish time of the newest finished task dropped by the count bound: the events sample is
   * complete only after it.
   */
  droppedFinishedUntil: number | null;
  limits: CeleryEventLimits;
}

export interface CeleryEventLimits {
  /** Tasks kept at most; the oldest (finished first) are dropped beyond it. */
  maxTasks: number;
  /** Finished tasks and gone workers are kept this long (longer than the 10-minute rate window). */
  retentionMs: number;
  /** Unfinished tasks not heard of for this long are dropped (their events were lost). */
  staleMs: number;
  /** Workers that stopped heartbeating stay listed as offline this long. */
  offlineRetentionMs: number;
}

export const defaultEventLimits: CeleryEventLimits = {
  maxTasks: 50_000,
  retentionMs: 15 * 60_000,
  staleMs: 6 * 3600_000,
  offlineRetentionMs: 24 * 3600_000,
};

/** Where a task stands as far as events tell. */
export type TaskPhase = 'sent' | 'received' | 'started' | 'succeeded' | 'failed' | 'retried' | 'rejected' | 'revoked';

export interface TaskRecord {
  id: string;
  name: string | null;
  /** From `task-sent` (the only event that names it), else `null`. */
  queue: string | null;
  phase: TaskPhase;
  /** `retries` of the latest attempt sent or received (0 for the first). */
  attempt: number;
  /** The attempt that last started; -1 before any start. */
  startedAttempt: number;
  /** Sender times of the latest attempt. */
  sentAt: number | null;
  etaAt: number | null;
  receivedAt: number | null;
  startedAt: number | null;
  /** Worker that sent the latest `task-started`. */
  startedBy: string | null;
  /**
   * When the started attempt stopped running (succeeded, failed, retried, revoked, rejected),
   * on the same worker's clock as `startedAt`; `null` while it runs. Tells whether the task was
   * running when a heartbeat counted `active`.
   */
  stoppedAt: number | null;
  finishedAt: number | null;
  /** `runtime` of `task-succeeded`, in ms. */
  runtimeMs: number | null;
  worker: string | null;
  /** Printable arguments as the events carry them (`argsrepr`). */
  args: string | null;
  kwargs: string | null;
  /** repr of the return value. */
  result: string | null;
  exception: string | null;
  traceback: string | null;
  /** `task-retried` events heard. */
  retriedCount: number;
  /** Arrival of the last event about it, for pruning. */
  lastHeardAt: number;
}

export interface WorkerRecord {
  hostname: string;
  pid: number | null;
  /** Heartbeat interval (`freq`, 2 s by default); Celery assumes 60 s until one is heard. */
  freqMs: number;
  /** Tasks executing at the last heartbeat; `null` before one. */
  active: number | null;
  /** The sender's time of that heartbeat (its clock, like its task events' times). */
  activeAt: number | null;
  /** `processed` at the last heartbeat and at the first one heard from this process. */
  processed: number | null;
  firstProcessed: number | null;
  /** Arrival of its last heartbeat or task event (Celery counts both as signs of life). */
  lastSeenAt: number | null;
  /** Arrival minus sender timestamp of the last heartbeat: the sender's clock skew, for display. */
  skewMs: number | null;
  /** Arrival of `worker-offline` (a clean shutdown); cleared by a later heartbeat. */
  goneAt: number | null;
  /** Whether this worker has sent any task event (it runs with -E). */
  sendsTaskEvents: boolean;
  softwareVersion: string | null;
}

export function createEventState(limits: CeleryEventLimits = defaultEventLimits): CeleryEventState {
  return {
    heardSince: null, lastHeardAt: null, messageCount: 0, taskEventCount: 0, undecodableCount: 0,
    lastError: null, tasks: new Map(), workers: new Map(), droppedFinishedUntil: null, limits,
  };
}

export function isFinishedPhase(phase: TaskPhase): boolean {
  return phase === 'succeeded' || phase === 'failed' || phase === 'rejected' || phase === 'revoked';
}
