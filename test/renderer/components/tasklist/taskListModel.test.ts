import { describe, expect, it } from 'vitest';
import type { TaskListPage, TaskSummary } from '../../../../src-main/contract/taskList.js';
import { confirmed, hasNext, pageLabel, pendingAction, rowActions, statesOf } from '../../../../src-renderer/components/tasklist/taskListModel.js';

const task = (id: string, state: TaskSummary['state']): TaskSummary => ({
  id, framework: 'rq', connection: 'prod', queue: 'default', name: 'jobs.add', state, description: 'jobs.add(1, 2)',
  enqueuedAt: null, startedAt: null, finishedAt: null, scheduledAt: null, worker: null, error: null,
});
const page = (over: Partial<TaskListPage> = {}): TaskListPage => ({
  query: { connection: 'prod', framework: 'rq', queue: 'default', state: 'failed', offset: 0, limit: 25 },
  items: [task('a', 'failed'), task('b', 'failed')], total: 60, offset: 25, notes: [], actions: ['retry', 'delete', 'purge'], readOnly: false, takenAt: 0, ...over,
});

describe('task list panel decisions', () => {
  it('tabs follow what each framework keeps', () => {
    expect(statesOf('rq')).toEqual(['waiting', 'scheduled', 'running', 'succeeded', 'failed']);
    expect(statesOf('nope')).toEqual([]);
  });

  it('labels a page and tells whether there is a next one', () => {
    expect(pageLabel(page())).toBe('26–27 of 60');
    expect(pageLabel(page({ items: [], offset: 0, total: 0 }))).toBe('none of 0');
    expect(pageLabel(page({ query: { ...page().query, search: 'x' }, total: 2, offset: 0 }))).toBe('1–2 of 2 matching');
    expect(hasNext(page())).toBe(true);
    expect(hasNext(page({ offset: 58 }))).toBe(false);
  });

  it('rows offer the list\'s actions but purge; retry only on a failed, retrying or dead task; nothing when read-only', () => {
    expect(rowActions(page(), task('a', 'failed'))).toEqual(['retry', 'delete']);
    expect(rowActions(page(), task('a', 'waiting'))).toEqual(['delete']);
    expect(rowActions(page(), task('a', 'dead'))).toEqual(['retry', 'delete']);
    expect(rowActions(page({ actions: [], readOnly: true }), task('a', 'failed'))).toEqual([]);
  });

  it('an action is sent only once confirmed, with the confirmation naming its target', () => {
    const retry = pendingAction(page(), 'retry', task('a', 'failed'));
    expect(retry.question).toBe('Retry jobs.add a? It goes back to the end of “default”.');
    expect(retry.request.confirm).toBe('');
    expect(confirmed(retry, '')).toEqual({ connection: 'prod', framework: 'rq', queue: 'default', action: 'retry', id: 'a', confirm: 'retry:a' });
    const purge = pendingAction(page(), 'purge', null);
    expect(purge.typeToConfirm).toBe('default');
    expect(confirmed(purge, 'defaul')).toBeNull();
    expect(confirmed(purge, ' default ')).toMatchObject({ action: 'purge', confirm: 'purge:default' });
  });
});
