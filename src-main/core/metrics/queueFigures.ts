import type { Framework, QueueFigures } from '../../contract/figures.js';
import type { FinishedSample, QueueReading } from '../../contract/snapshot.js';
import { computeDrainEta, type WaitingPoint } from './drainEta.js';
import { computeFinishedFigures } from './finishedFigures.js';

export interface QueueFiguresInput {
  connection: string;
  framework: Framework;
  namespace: string;
  takenAt: number;
  reading: QueueReading;
  /** Finished tasks for rates: the reading's own (events) or the probe's last sample. */
  sample?: FinishedSample;
  /** This queue's recent waiting counts, oldest first, including the current reading. */
  trend: readonly WaitingPoint[];
  /** Minimum finished tasks before a success ratio is given. */
  minFinished?: number;
}

/** The contract figures of one queue from a reading, its recent trend and finished tasks. */
export function computeQueueFigures(input: QueueFiguresInput): QueueFigures {
  const { reading, takenAt } = input;
  const finished = computeFinishedFigures(reading.finished ?? input.sample, input.minFinished);
  const notes = { ...finished.notes, ...reading.notes };
  let oldestWaitingAgeMs: number | null;
  if (reading.oldestWaitingAt === undefined) {
    oldestWaitingAgeMs = null;
    notes.oldestWaitingAgeMs ??= 'the framework does not record when a waiting task was enqueued';
  } else if (reading.oldestWaitingAt === null) {
    oldestWaitingAgeMs = reading.waiting === 0 ? 0 : null;
  } else {
    oldestWaitingAgeMs = Math.max(0, takenAt - reading.oldestWaitingAt);
  }
  const drainEtaMs = reading.waiting === null ? null : computeDrainEta(input.trend, takenAt);
  if (drainEtaMs === null && reading.waiting !== null) {
    notes.drainEtaMs ??= input.trend.length < 2 ? 'needs a second reading to see the trend' : 'the queue is not shrinking';
  }
  return {
    connection: input.connection,
    framework: input.framework,
    queue: reading.queue,
    namespace: input.namespace,
    waiting: reading.waiting,
    scheduled: reading.scheduled,
    reserved: reading.reserved,
    running: reading.running,
    failed: reading.failed,
    dead: reading.dead,
    retrying: reading.retrying,
    oldestWaitingAgeMs,
    throughputPerMin: finished.throughputPerMin,
    waitLatencyMs: finished.waitLatencyMs,
    runLatencyMs: finished.runLatencyMs,
    successRatio: finished.successRatio,
    finishedCount: finished.finishedCount,
    drainEtaMs,
    workers: reading.workers,
    takenAt,
    notes,
  };
}
