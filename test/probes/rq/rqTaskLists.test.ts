import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type TaskStatusApp } from '../../../src-main/bootstrap/createApp.js';
import type { ActionLogEntry, TaskActionRequest, TaskListPage } from '../../../src-main/contract/taskList.js';
import { confirmationFor } from '../../../src-main/contract/taskList.js';
import { resolveConnections } from '../../../src-main/core/config/resolveConnections.js';
import { startRedis, type PrivateRedis } from '../../support/redisServer.js';
import { destroyAllRqWorkers, rqTool, startRqWorker, waitFor } from '../../support/rqWorkers.js';

/**
 * Task lists and write actions against real RQ 1.13 workers on a private Redis; every
 * expectation is what RQ's own API (rq_registries.py) reports.
 */
interface RqIds { waiting: string[]; scheduled: string[]; started: string[]; finished: string[]; failed: string[]; deferred: string[]; count: number; failed_count: number }
interface RqJob { exists: boolean; status: string | null; origin: string | null; hash: Record<string, string>; ttl: number }

const db = 3;
let redis: PrivateRedis;
let dir: string;
let readOnlyApp: TaskStatusApp;
let app: TaskStatusApp;
const waitingIds: string[] = [];
let failedIds: string[] = [];

function rq<T>(command: 'ids' | 'job' | 'requeue', argument: unknown): T {
  const run = spawnSync('/usr/bin/python3', [join(import.meta.dirname, 'rq_registries.py'), redis.url(db), command, JSON.stringify(argument)], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`rq_registries ${command}: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

function appWith(readOnly: boolean): TaskStatusApp {
  const config = resolveConnections({
    redisUrls: [], env: {}, trayConfig: null,
    configFile: { path: 'test.yaml', config: { connections: [{ id: 'local', kind: 'redis', url: redis.url(db) }], ...(readOnly ? {} : { readOnly: false }) } },
  });
  return createApp({ config, actionLogPath: join(dir, readOnly ? 'ro-actions.log' : 'actions.log') });
}

const list = (a: TaskStatusApp, q: Partial<Parameters<TaskStatusApp['api']['listTasks']>[0]>): Promise<TaskListPage> =>
  a.api.listTasks({ connection: 'local', framework: 'rq', queue: 'lists', state: 'waiting', ...q });
const act = (request: Omit<TaskActionRequest, 'connection' | 'framework' | 'confirm'> & { confirm?: string }) => {
  const full = { connection: 'local', framework: 'rq' as const, ...request };
  return app.api.runTaskAction({ ...full, confirm: request.confirm ?? confirmationFor(full) });
};
const logLines = (): ActionLogEntry[] => readFileSync(join(dir, 'actions.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ActionLogEntry);

beforeAll(async () => {
  redis = await startRedis();
  dir = mkdtempSync(join(tmpdir(), 'task-status-actions-'));
  // 120 waiting jobs (no worker on `lists`), 6 failures and 2 flaky jobs that fail once on `failing`.
  waitingIds.push(...rqTool<string[]>(redis, db, 'enqueue', Array.from({ length: 120 }, (_, i) => ({ queue: 'lists', func: 'add', args: [i, 1000 + i] }))));
  rqTool(redis, db, 'enqueue', [
    ...Array.from({ length: 6 }, (_, i) => ({ queue: 'failing', func: 'fail', args: [`boom-${i}`] })),
    { queue: 'failing', func: 'flaky', args: ['flaky-a', 1], job_id: 'flaky-a' },
    { queue: 'failing', func: 'flaky', args: ['flaky-b', 1], job_id: 'flaky-b' },
  ]);
  const worker = await startRqWorker(redis, { db, queues: ['failing'], name: 'w-fail' });
  await waitFor(() => rq<RqIds>('ids', 'failing').failed_count === 8, '8 failures');
  await worker.stop();
  failedIds = rq<RqIds>('ids', 'failing').failed;
  readOnlyApp = appWith(true);
  app = appWith(false);
}, 60_000);

afterAll(async () => {
  await destroyAllRqWorkers();
  await readOnlyApp?.close();
  await app?.close();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('RQ task lists', () => {
  it('pages the waiting list in the order RQ keeps it, with RQ\'s count as total', async () => {
    const rqIds = rq<RqIds>('ids', 'lists');
    expect(rqIds.waiting).toEqual(waitingIds);
    const first = await list(readOnlyApp, { offset: 0, limit: 50 });
    expect(first.total).toBe(rqIds.count);
    expect(first.items.map((t) => t.id)).toEqual(rqIds.waiting.slice(0, 50));
    expect(first.items[3]).toMatchObject({ framework: 'rq', connection: 'local', queue: 'lists', name: 'rq_jobs.add', state: 'waiting', description: 'rq_jobs.add(3, 1003)', error: null });
    const last = await list(readOnlyApp, { offset: 100, limit: 50 });
    expect(last.items.map((t) => t.id)).toEqual(rqIds.waiting.slice(100));
    expect(first.readOnly).toBe(true);
    expect(first.actions).toEqual([]);
  });

  it('lists failures newest first (RQ\'s registry order reversed) with the error line', async () => {
    const page = await list(readOnlyApp, { queue: 'failing', state: 'failed', limit: 100 });
    expect(page.total).toBe(8);
    expect(page.items.map((t) => t.id)).toEqual([...failedIds].reverse());
    const boom = page.items.find((t) => t.description === "rq_jobs.fail('boom-2')")!;
    expect(boom).toMatchObject({ state: 'failed', error: 'ValueError: boom-2', worker: 'w-fail' });
    expect(boom.finishedAt).toBeGreaterThan(0);
  });

  it('searches id, name and argument text, saying how much it read', async () => {
    const byArg = await list(readOnlyApp, { search: '1117' });
    expect(byArg.items.map((t) => t.id)).toEqual([waitingIds[117]]);
    expect(byArg.total).toBe(1);
    expect(byArg.searched).toEqual({ read: 120, of: 120 });
    expect(byArg.notes).toContain('searched all 120 entries');
    const byId = await list(readOnlyApp, { search: waitingIds[42]! });
    expect(byId.items.map((t) => t.id)).toEqual([waitingIds[42]]);
    const byName = await list(readOnlyApp, { queue: 'failing', state: 'failed', search: 'FLAKY' });
    expect(byName.items.map((t) => t.id).sort()).toEqual(['flaky-a', 'flaky-b']);
    const paged = await list(readOnlyApp, { search: 'rq_jobs.add', offset: 110, limit: 50 });
    expect([paged.total, paged.items.length]).toEqual([120, 10]);
  });

  it('refuses a state RQ does not keep, and a queue that is not there', async () => {
    await expect(list(readOnlyApp, { state: 'dead' })).rejects.toMatchObject({ code: 'BAD_USAGE', detail: expect.stringContaining('RQ keeps no dead set') });
    await expect(list(readOnlyApp, { queue: 'nope' })).rejects.toMatchObject({ code: 'QUEUE_NOT_FOUND' });
  });
});

describe('RQ actions', () => {
  it('are refused while read-only is on (the default), and logged as refused', async () => {
    const request = { connection: 'local', framework: 'rq' as const, queue: 'failing', action: 'retry' as const, id: failedIds[0]! };
    await expect(readOnlyApp.api.runTaskAction({ ...request, confirm: confirmationFor(request) }))
      .rejects.toMatchObject({ code: 'PERMISSION_DENIED', detail: expect.stringContaining('read-only is on') });
    expect(rq<RqIds>('ids', 'failing').failed_count).toBe(8);
    expect(readFileSync(join(dir, 'ro-actions.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({ outcome: 'refused', action: 'retry', id: failedIds[0], queue: 'failing' }),
    ]);
  });

  it('are offered on the lists where RQ allows them when read-only is off', async () => {
    expect((await list(app, { queue: 'failing', state: 'failed' })).actions).toEqual(['retry', 'delete', 'purge']);
    expect((await list(app, {})).actions).toEqual(['delete', 'purge']);
  });

  it('refuse a request whose confirmation does not name what it acts on', async () => {
    await expect(act({ queue: 'failing', action: 'delete', id: failedIds[0]!, confirm: 'yes' }))
      .rejects.toMatchObject({ code: 'BAD_USAGE', detail: `delete is not confirmed: "confirm" must be "delete:${failedIds[0]}"` });
    expect(rq<RqJob>('job', failedIds[0]!).exists).toBe(true);
  });

  it('retry requeues from the failed registry exactly as RQ\'s own requeue does', async () => {
    const result = await act({ queue: 'failing', action: 'retry', id: 'flaky-a' });
    expect(result).toMatchObject({ done: 'requeued RQ job flaky-a from the failed registry to failing', affectedCount: 1 });
    rq('requeue', ['failing', 'flaky-b']);
    const ids = rq<RqIds>('ids', 'failing');
    expect(ids.waiting).toEqual(['flaky-a', 'flaky-b']);
    expect(ids.failed).not.toContain('flaky-a');
    expect(ids.failed_count).toBe(6);
    const ours = rq<RqJob>('job', 'flaky-a');
    const theirs = rq<RqJob>('job', 'flaky-b');
    expect([ours.status, ours.origin]).toEqual(['queued', 'failing']);
    const comparable = (j: RqJob) => {
      const { data: _d, description: _s, created_at: _c, enqueued_at: _e, last_heartbeat: _h, ...rest } = j.hash;
      return rest;
    };
    expect(comparable(ours)).toEqual(comparable(theirs));
    expect(Object.keys(ours.hash).sort()).toEqual(Object.keys(theirs.hash).sort());
    expect(Math.abs(ours.ttl - theirs.ttl)).toBeLessThanOrEqual(5);
    // A worker takes both again; the flaky jobs succeed on their second attempt.
    const worker = await startRqWorker(redis, { db, queues: ['failing'], name: 'w-retry' });
    await waitFor(() => rq<RqIds>('ids', 'failing').finished.length === 2, 'the retried jobs to finish');
    await worker.stop();
    expect(rq<RqJob>('job', 'flaky-a').status).toBe('finished');
    expect(rqTool<{ result: unknown }>(redis, db, 'job', 'flaky-a').result).toBe(2);
    await expect(act({ queue: 'failing', action: 'retry', id: 'flaky-a' }))
      .rejects.toMatchObject({ code: 'BAD_USAGE', detail: expect.stringContaining('is not in the failed registry') });
  }, 30_000);

  it('delete removes a failed job and a waiting job as Job.delete does', async () => {
    const failed = failedIds.find((id) => !id.startsWith('flaky'))!;
    await act({ queue: 'failing', action: 'delete', id: failed });
    expect(rq<RqJob>('job', failed).exists).toBe(false);
    expect(rq<RqIds>('ids', 'failing').failed).not.toContain(failed);
    expect(rq<RqIds>('ids', 'failing').failed_count).toBe(5);
    await act({ queue: 'lists', action: 'delete', id: waitingIds[5]! });
    const ids = rq<RqIds>('ids', 'lists');
    expect(ids.waiting).toEqual(waitingIds.filter((_, i) => i !== 5));
    expect(ids.count).toBe(119);
    expect((await list(app, {})).total).toBe(119);
  });

  it('purge empties the queue as Queue.empty does: list and job hashes gone', async () => {
    const result = await act({ queue: 'lists', action: 'purge' });
    expect(result).toMatchObject({ affectedCount: 119 });
    expect(rq<RqIds>('ids', 'lists').count).toBe(0);
    expect(rq<RqJob>('job', waitingIds[0]!).exists).toBe(false);
    expect(rq<RqJob>('job', waitingIds[119]!).exists).toBe(false);
  });

  it('logs every action as one JSON line', () => {
    const lines = logLines();
    expect(lines.map((l) => [l.outcome, l.action, l.queue, l.id ?? null])).toEqual([
      ['refused', 'delete', 'failing', failedIds[0]],
      ['done', 'retry', 'failing', 'flaky-a'],
      ['refused', 'retry', 'failing', 'flaky-a'],
      ['done', 'delete', 'failing', failedIds.find((id) => !id.startsWith('flaky'))],
      ['done', 'delete', 'lists', waitingIds[5]],
      ['done', 'purge', 'lists', null],
    ]);
    expect(lines[5]).toMatchObject({ connection: 'local', framework: 'rq', affectedCount: 119, detail: 'emptied RQ queue lists: 119 jobs deleted' });
    expect(typeof lines[0]!.at).toBe('number');
  });
});
