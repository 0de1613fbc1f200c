import type { TaskDetail } from '../../../src-main/contract/task.js';

/** One step of a task's life as the timeline shows it. */
export interface TimelineStep {
  key: 'enqueuedAt' | 'scheduledAt' | 'startedAt' | 'finishedAt';
  label: string;
  at: number | null;
  /** `done`: recorded; `pending`: not reached yet; `unknown`: reached (a later step was) but not recorded. */
  kind: 'done' | 'pending' | 'unknown';
}

export interface TimelineLeg {
  /** `waited` between enqueue and start, `ran` between start and finish (or now, while running). */
  label: 'waited' | 'ran' | 'running for' | 'waiting for';
  ms: number;
}

const finishedStates = new Set(['succeeded', 'failed', 'dead']);

/**
 * Enqueued → (scheduled for) → started → finished, and how long each leg took. A step a later
 * one shows was passed but was not recorded is `unknown`, never guessed; a running task's last
 * leg runs to `now`, a waiting one's first leg too.
 */
export function taskTimeline(task: TaskDetail, now: number): { steps: TimelineStep[]; legs: Array<TimelineLeg | null> } {
  const finished = task.finishedAt !== null || finishedStates.has(task.state);
  const started = task.startedAt !== null || finished || task.state === 'running';
  const step = (key: TimelineStep['key'], label: string, at: number | null, reached: boolean): TimelineStep =>
    ({ key, label, at, kind: at !== null ? 'done' : reached ? 'unknown' : 'pending' });
  const steps: TimelineStep[] = [step('enqueuedAt', 'Enqueued', task.enqueuedAt, true)];
  if (task.scheduledAt !== undefined && task.scheduledAt !== null) steps.push(step('scheduledAt', 'Due', task.scheduledAt, started));
  steps.push(step('startedAt', 'Started', task.startedAt, started), step('finishedAt', finishedLabel(task), task.finishedAt, finished));
  const legs = steps.slice(1).map((next, i): TimelineLeg | null => {
    const previous = steps[i]!;
    if (previous.at === null) return null;
    if (next.at !== null) return { label: next.key === 'finishedAt' ? 'ran' : 'waited', ms: next.at - previous.at };
    if (next.kind !== 'pending') return null;
    if (next.key === 'finishedAt' && task.state === 'running') return { label: 'running for', ms: now - previous.at };
    if (next.key === 'startedAt' && (task.state === 'waiting' || task.state === 'reserved')) return { label: 'waiting for', ms: now - previous.at };
    return null;
  });
  return { steps, legs };
}

function finishedLabel(task: TaskDetail): string {
  switch (task.state) {
    case 'succeeded': return 'Succeeded';
    case 'failed': return 'Failed';
    case 'dead': return 'Dead';
    default: return 'Finished';
  }
}
