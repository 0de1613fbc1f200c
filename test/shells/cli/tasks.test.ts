import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src-main/shells/cli/main.js';
import type { TaskListPage } from '../../../src-main/contract/taskList.js';
import { startRedis, type PrivateRedis } from '../../support/redisServer.js';
import { rqTool } from '../../support/rqWorkers.js';

/** `task-status tasks` in-process against a private Redis holding real RQ jobs (enqueued by RQ itself). */
let redis: PrivateRedis;
let ids: string[];

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => { stdout += String(chunk); return true; });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => { stderr += String(chunk); return true; });
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

beforeAll(async () => {
  redis = await startRedis();
  ids = rqTool<string[]>(redis, 2, 'enqueue', Array.from({ length: 7 }, (_, i) => ({ queue: 'backlog', func: 'add', args: [i, 10 * i] })));
});
afterAll(async () => redis?.stop());

describe('task-status tasks', () => {
  it('--json prints the pages of every match, paged', async () => {
    const { code, stdout } = await run(['tasks', '--redis', redis.url(2), '--queue', 'backlog', '--state', 'waiting', '--offset', '2', '--limit', '3', '--json']);
    expect(code).toBe(0);
    const { pages } = JSON.parse(stdout) as { pages: TaskListPage[] };
    expect(pages).toHaveLength(1);
    expect(pages[0]!.items.map((t) => t.id)).toEqual(ids.slice(2, 5));
    expect([pages[0]!.total, pages[0]!.offset, pages[0]!.readOnly, pages[0]!.actions]).toEqual([7, 2, true, []]);
  });

  it('prints a table with what is shown of how many, and the next page', async () => {
    const { code, stdout } = await run(['tasks', '--redis', redis.url(2), '--queue', 'backlog', '--state', 'waiting', '--limit', '2']);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`${redis.url(2).replace('redis://', '')} rq db2 backlog: waiting tasks 1–2 of 7`);
    expect(lines[1]).toMatch(/^ID\s+STATE\s+TASK\s+WHEN/);
    expect(lines[2]).toContain(ids[0]);
    expect(lines[2]).toContain('rq_jobs.add(0, 0)');
    expect(lines).toContain('note: next page: --offset 2');
  });

  it('searches argument text and says how much it read', async () => {
    const { stdout } = await run(['tasks', '--redis', redis.url(2), '--queue', 'backlog', '--state', 'waiting', '--search', 'add(3, 30)', '--json']);
    const page = (JSON.parse(stdout) as { pages: TaskListPage[] }).pages[0]!;
    expect(page.items.map((t) => t.id)).toEqual([ids[3]]);
    expect(page.notes).toContain('searched all 7 entries');
  });

  it('exit codes: 1 for a queue that is not there, 2 for bad usage and a state RQ does not keep', async () => {
    expect((await run(['tasks', '--redis', redis.url(2), '--queue', 'nope', '--state', 'waiting'])).code).toBe(1);
    const dead = await run(['tasks', '--redis', redis.url(2), '--queue', 'backlog', '--state', 'dead']);
    expect(dead.code).toBe(2);
    expect(dead.stderr).toContain('rq keeps no dead list');
    expect((await run(['tasks', '--redis', redis.url(2), '--queue', 'backlog', '--state', 'waiting', '--limit', '0'])).code).toBe(2);
    expect((await run(['tasks', '--redis', redis.url(2), '--queue', 'backlog', '--state', 'sleeping'])).code).toBe(2);
  });
});
