import { describe, expect, it } from 'vitest';
import type { TaskDetail } from '../../../../src-main/contract/task.js';
import { taskTimeline } from '../../../../src-renderer/lib/format/taskTimeline.js';

const task = (fields: Partial<TaskDetail>): TaskDetail => ({
  id: 't', framework: 'rq', connection: 'c', queue: 'q', name: 'n', description: null, state: 'succeeded', args: null, kwargs: null,
  enqueuedAt: 1_000, startedAt: 4_000, finishedAt: 5_500, worker: 'w', retries: 0, result: null, error: null, sources: [], ...fields,
});

describe('taskTimeline', () => {
  it('a finished task: enqueued → started → succeeded, waited 3 s, ran 1.5 s', () => {
    expect(taskTimeline(task({}), 9_000)).toEqual({
      steps: [
        { key: 'enqueuedAt', label: 'Enqueued', at: 1_000, kind: 'done' },
        { key: 'startedAt', label: 'Started', at: 4_000, kind: 'done' },
        { key: 'finishedAt', label: 'Succeeded', at: 5_500, kind: 'done' },
      ],
      legs: [{ label: 'waited', ms: 3_000 }, { label: 'ran', ms: 1_500 }],
    });
  });

  it('a running task runs to now; its finish is not yet', () => {
    const { steps, legs } = taskTimeline(task({ state: 'running', finishedAt: null }), 10_000);
    expect(steps.map((s) => s.kind)).toEqual(['done', 'done', 'pending']);
    expect(legs).toEqual([{ label: 'waited', ms: 3_000 }, { label: 'running for', ms: 6_000 }]);
  });

  it('a failed task whose start was not recorded: the start is unknown, not guessed, and no leg is made up', () => {
    const { steps, legs } = taskTimeline(task({ state: 'failed', startedAt: null }), 10_000);
    expect(steps.map((s) => [s.label, s.kind])).toEqual([['Enqueued', 'done'], ['Started', 'unknown'], ['Failed', 'done']]);
    expect(legs).toEqual([null, null]);
  });

  it('a waiting task waits to now; a delayed one shows when it is due', () => {
    expect(taskTimeline(task({ state: 'waiting', startedAt: null, finishedAt: null }), 8_000).legs).toEqual([{ label: 'waiting for', ms: 7_000 }, null]);
    const delayed = taskTimeline(task({ state: 'scheduled', scheduledAt: 60_000, startedAt: null, finishedAt: null }), 8_000);
    expect(delayed.steps.map((s) => [s.key, s.kind])).toEqual([['enqueuedAt', 'done'], ['scheduledAt', 'done'], ['startedAt', 'pending'], ['finishedAt', 'pending']]);
    expect(delayed.legs).toEqual([{ label: 'waited', ms: 59_000 }, null, null]);
  });
});
