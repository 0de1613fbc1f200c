import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src-main/shells/cli/main.js';
import { startRedis, type PrivateRedis } from '../../support/redisServer.js';
import { rqTool } from '../../support/rqWorkers.js';

/** `task-status retry|delete|purge` in-process on a private Redis holding real RQ jobs; RQ's own API says what happened. */
let redis: PrivateRedis;
let dir: string;
let ids: string[];
let writable: string;
const saved = process.env.XDG_CONFIG_HOME;

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => { stdout += String(chunk); return true; });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => { stderr += String(chunk); return true; });
  try {
    return { code: await main(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
function rqJob(id: string): { exists: boolean } {
  const r = spawnSync('/usr/bin/python3', [join(import.meta.dirname, '../../probes/rq/rq_registries.py'), redis.url(1), 'job', JSON.stringify(id)], { encoding: 'utf8' });
  return JSON.parse(r.stdout) as { exists: boolean };
}
function rqCount(queue: string): number {
  const r = spawnSync('/usr/bin/python3', [join(import.meta.dirname, '../../probes/rq/rq_registries.py'), redis.url(1), 'ids', JSON.stringify(queue)], { encoding: 'utf8' });
  return (JSON.parse(r.stdout) as { count: number }).count;
}

beforeAll(async () => {
  redis = await startRedis();
  dir = mkdtempSync(join(tmpdir(), 'task-status-cli-actions-'));
  process.env.XDG_CONFIG_HOME = join(dir, 'config');
  ids = rqTool<string[]>(redis, 1, 'enqueue', Array.from({ length: 4 }, (_, i) => ({ queue: 'jobs', func: 'add', args: [i, i] })));
  writable = join(dir, 'writable.json');
  writeFileSync(writable, JSON.stringify({ readOnly: false, connections: [{ id: 'local', url: redis.url(1) }] }));
});
afterAll(async () => {
  if (saved === undefined) delete process.env.XDG_CONFIG_HOME;
  else process.env.XDG_CONFIG_HOME = saved;
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('task-status retry | delete | purge', () => {
  it('refuses without --yes, and while read-only (the default), writing nothing', async () => {
    const noYes = await run(['delete', '--config', writable, '--queue', 'jobs', '--id', ids[0]!]);
    expect([noYes.code, noYes.stderr]).toEqual([2, 'task-status: bad usage: delete writes to the broker: add --yes to confirm\n']);
    const readOnly = await run(['delete', '--redis', redis.url(1), '--queue', 'jobs', '--id', ids[0]!, '--yes']);
    expect(readOnly.code).toBe(2);
    expect(readOnly.stderr).toContain('read-only is on');
    expect(rqJob(ids[0]!).exists).toBe(true);
  });

  it('deletes a job and purges a queue with readOnly: false, logged', async () => {
    const del = await run(['delete', '--config', writable, '--queue', 'jobs', '--id', ids[0]!, '--yes']);
    expect([del.code, del.stdout]).toEqual([0, `task-status: deleted RQ job ${ids[0]} (queued) from jobs\n`]);
    expect(rqJob(ids[0]!).exists).toBe(false);
    const purge = await run(['purge', '--config', writable, '--queue', 'jobs', '--yes', '--json']);
    expect(purge.code).toBe(0);
    expect(JSON.parse(purge.stdout)).toMatchObject({ affectedCount: 3, request: { action: 'purge', queue: 'jobs', confirm: 'purge:jobs' } });
    expect(rqCount('jobs')).toBe(0);
    const log = readFileSync(join(dir, 'config', 'task-status', 'actions.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { outcome: string; action: string });
    expect(log.map((l) => [l.outcome, l.action])).toEqual([['refused', 'delete'], ['done', 'delete'], ['done', 'purge']]);
  });

  it('exit 1 for a queue or task that is not there', async () => {
    expect((await run(['retry', '--config', writable, '--queue', 'nope', '--id', 'x', '--yes'])).code).toBe(1);
    rqTool(redis, 1, 'enqueue', [{ queue: 'jobs', func: 'add', args: [9, 9] }]);
    expect((await run(['retry', '--config', writable, '--queue', 'jobs', '--id', 'missing', '--yes'])).code).toBe(1);
  });
});
