import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type TaskStatusApp } from '../../../src-main/bootstrap/createApp.js';
import type { AppConfig } from '../../../src-main/contract/config.js';
import { freePort, waitFor } from '../../support/redisServer.js';
import { startReceiver } from './decisions.js';

/**
 * End to end on a real broker: the tray app's config with actions, the real monitor polling a
 * private redis-server that is stopped and started again on the same port. The default
 * "broker unreachable" rule (emergency) fires once and resolves once (after its keepFiringFor);
 * the webhook receiver and the command hook each get exactly one call for each, however many
 * polls happen in between.
 */
const dir = mkdtempSync(join(tmpdir(), 'task-status-actions-app-'));
const calls = join(dir, 'calls');
const hook = join(dir, 'hook.sh');
let port: number;
let server: ChildProcess | null = null;

async function startServer(): Promise<void> {
  server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  await waitFor('redis-server answering', () => spawnSync('redis-cli', ['-p', String(port), 'ping']).stdout?.toString().trim() === 'PONG', 10_000);
}

async function stopServer(): Promise<void> {
  if (!server || server.exitCode !== null) return;
  const exited = new Promise((r) => server!.once('exit', r));
  server.kill('SIGTERM');
  await exited;
}

beforeAll(async () => {
  if (spawnSync('redis-server', ['--version']).status !== 0) throw new Error('redis-server is not installed: apt-get install redis-server');
  port = await freePort();
  mkdirSync(calls);
  writeFileSync(hook, `#!/bin/sh\nenv | grep '^TASK_STATUS_ALERT_' | sort > "${calls}/$(date +%s%N)-$TASK_STATUS_ALERT_EVENT.env"\n`);
  chmodSync(hook, 0o755);
  await startServer();
});
afterAll(async () => {
  await stopServer();
  rmSync(dir, { recursive: true, force: true });
});

const hookEvents = () => readdirSync(calls).sort().map((f) => Object.fromEntries(readFileSync(join(calls, f), 'utf8').trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])));

describe('actions in the app, on a broker that goes down and comes back', () => {
  it('one webhook call and one hook run when the emergency starts, one each when it recovers', async () => {
    const receiver = await startReceiver();
    const config = {
      connections: [{ id: 'local', kind: 'redis', url: `redis://127.0.0.1:${port}/0` }],
      actions: [
        { id: 'recovery-hook', kind: 'command', command: [hook], when: { levels: ['emergency'] } },
        { id: 'chat', kind: 'webhook', url: `${receiver.url}/hook` },
      ],
    } as AppConfig;
    const logs: string[] = [];
    const app: TaskStatusApp = createApp({ config, env: {}, actionsDir: join(dir, 'state'), log: (l) => logs.push(l) });
    try {
      const poll = async () => {
        await app.monitor.pollAll();
        await app.alertsSettled();
      };
      await poll();
      await stopServer();
      for (let i = 0; i < 3; i++) await poll();
      await waitFor('the start call', () => receiver.calls.length >= 1 && hookEvents().length >= 1);
      await startServer();
      // ioredis reconnects with a back-off, and the rule keeps firing a while after the broker is
      // back (its keepFiringFor): poll every 500 ms until the recovery is told, 60 s at most.
      const statuses: string[] = [];
      for (let i = 0; i < 120 && !(receiver.calls.length >= 2 && hookEvents().length >= 2); i++) {
        statuses.push((await app.monitor.pollAll()).connections[0]!.status);
        await app.alertsSettled();
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(statuses.at(-1)).toBe('ok');
      await waitFor('the end call', () => receiver.calls.length >= 2 && hookEvents().length >= 2);
      await poll();
    } finally {
      await app.close();
      await receiver.close();
    }
    const bodies = receiver.calls.map((c) => c.body as { event: string; alert: { ruleId: string; level: string; state: string; labels: Record<string, string> } });
    expect(bodies.map((b) => [b.event, b.alert.ruleId, b.alert.level, b.alert.state, b.alert.labels.connection])).toEqual([
      ['start', 'brokerUnreachable', 'emergency', 'firing', 'local'],
      ['end', 'brokerUnreachable', 'emergency', 'resolved', 'local'],
    ]);
    expect(hookEvents().map((e) => [e.TASK_STATUS_ALERT_EVENT, e.TASK_STATUS_ALERT_RULE, e.TASK_STATUS_ALERT_LEVEL, e.TASK_STATUS_ALERT_CONNECTION])).toEqual([
      ['start', 'brokerUnreachable', 'emergency', 'local'],
      ['end', 'brokerUnreachable', 'emergency', 'local'],
    ]);
    const log = readFileSync(join(dir, 'state', 'alert-actions.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { actionId: string; event: string; outcome: string });
    expect(log.map((e) => [e.actionId, e.event, e.outcome]).sort()).toEqual([
      ['chat', 'end', 'ok'], ['chat', 'start', 'ok'], ['recovery-hook', 'end', 'ok'], ['recovery-hook', 'start', 'ok'],
    ]);
  });
});
