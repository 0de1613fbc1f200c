import type { Framework } from '../../../src-main/contract/figures.js';
import {
  confirmationFor, listableStates, type TaskActionKind, type TaskActionRequest, type TaskListPage, type TaskListState, type TaskSummary,
} from '../../../src-main/contract/taskList.js';

/** Plain decisions of the task-list panel, tested without a DOM. */

export const stateWords: Record<TaskListState, string> = {
  waiting: 'Waiting', scheduled: 'Scheduled', reserved: 'Reserved', running: 'Running',
  succeeded: 'Succeeded', failed: 'Failed', retrying: 'Retrying', dead: 'Dead',
};

export const pageSize = 25;

/** The tabs of a framework, in the order work moves; none for a framework that lists nothing. */
export function statesOf(framework: string): readonly TaskListState[] {
  return (listableStates as Record<string, readonly TaskListState[] | undefined>)[framework as Framework] ?? [];
}

/** "1–25 of 120", "3 matching of 2,000 searched", "none". */
export function pageLabel(page: TaskListPage): string {
  const count = (n: number) => n.toLocaleString('en');
  const range = page.items.length ? `${count(page.offset + 1)}–${count(page.offset + page.items.length)}` : 'none';
  if (page.total === null) return range;
  return `${range} of ${count(page.total)}${page.query.search ? ' matching' : ''}`;
}

export function hasNext(page: TaskListPage): boolean {
  return page.total === null ? page.items.length === (page.query.limit ?? pageSize) : page.offset + page.items.length < page.total;
}

const retriable: readonly TaskSummary['state'][] = ['failed', 'retrying', 'dead'];

/** The actions a row offers: the page's, minus purge (the queue's); retry only on a failed, retrying or dead task. */
export function rowActions(page: TaskListPage, task: TaskSummary): TaskActionKind[] {
  return page.actions.filter((a) => a !== 'purge' && (a !== 'retry' || retriable.includes(task.state)));
}

export interface PendingAction {
  request: TaskActionRequest;
  /** The question the dialog asks. */
  question: string;
  /** What must be typed to confirm (purge only: the queue's name), else `null`. */
  typeToConfirm: string | null;
}

const verbs: Record<TaskActionKind, string> = { retry: 'Retry', delete: 'Delete', purge: 'Purge' };

export function actionLabel(action: TaskActionKind): string {
  return verbs[action];
}

/** The request and question for an action, the confirmation filled in only once the person confirms. */
export function pendingAction(page: TaskListPage, action: TaskActionKind, task: TaskSummary | null): PendingAction {
  const { connection, framework, queue, namespace } = page.query;
  const request: TaskActionRequest = { connection, framework, queue, ...(namespace ? { namespace } : {}), action, ...(task ? { id: task.id } : {}), confirm: '' };
  if (action === 'purge') {
    return { request, question: `Purge every waiting task of ${framework} queue “${queue}” on ${connection}? This cannot be undone.`, typeToConfirm: queue };
  }
  const what = `${task?.name ?? 'task'} ${task?.id ?? ''}`.trim();
  const question = action === 'retry' ? `Retry ${what}? It goes back to the end of “${queue}”.` : `Delete ${what} from “${queue}”? This cannot be undone.`;
  return { request, question, typeToConfirm: null };
}

/** The request as sent once confirmed (the typed name must match for a purge). */
export function confirmed(pending: PendingAction, typed: string): TaskActionRequest | null {
  if (pending.typeToConfirm !== null && typed.trim() !== pending.typeToConfirm) return null;
  return { ...pending.request, confirm: confirmationFor(pending.request) };
}
