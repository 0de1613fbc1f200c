import { describe, expect, it } from 'vitest';
import type { RabbitBrokerFigures, RabbitNodeFigures, RedisBrokerFigures } from '../../../src-main/contract/dashboard.js';
import type { RunningTask } from '../../../src-main/contract/alerts.js';
import { defaultRules } from '../../../src-main/core/alerts/defaultRules.js';
import { connection, minute, queue, queueSeries, rule, runTimeline, statesOf, t0, task, worker } from './alertFixtures.js';

const notified = (steps: { notified: string[] }[]) => steps.map((s) => s.notified.join() || '-');

describe('workers: gone without a goodbye is an emergency, a clean shutdown is not', () => {
  const workersAt = (rows: ('online' | 'offline' | 'gone')[][]) => (i: number, at: number) =>
    [connection(at, { workers: rows[i]!.flatMap((state, n) => (state === 'gone' ? [] : [worker(`w${n + 1}`, { state })])) })];

  it('w1 online, killed (offline: its heartbeat was lost past the probe\'s grace), restarted: one incident, resolved once back 15 s', () => {
    const steps = runTimeline([rule('workerLost')], 6, workersAt([['online'], ['offline'], ['offline'], ['offline'], ['online'], ['online']]), { stepMs: 20_000 });
    expect(statesOf(steps, 'workerLost')).toEqual(['inactive', 'firing', 'firing', 'firing', 'firing', 'resolved']);
    expect(notified(steps)).toEqual(['-', 'first', '-', '-', '-', 'resolved']);
    expect(steps[1]!.decisions[0]!.alert).toMatchObject({ level: 'emergency', labels: { connection: 'prod', framework: 'rq', worker: 'w1' } });
  });

  it('a worker dropping out and back every 5 s (missed heartbeats under load) is one incident', () => {
    const flapping = workersAt([['online'], ['offline'], ['online'], ['offline'], ['online'], ['offline'], ['online'], ['online'], ['online'], ['online']]);
    const steps = runTimeline([rule('workerLost')], 10, flapping, { stepMs: 5000 });
    expect(notified(steps)).toEqual(['-', 'first', '-', '-', '-', '-', '-', '-', '-', 'resolved']);
  });

  it('w2 shuts down cleanly (it leaves the worker list): no incident', () => {
    const steps = runTimeline([rule('workerLost')], 3, workersAt([['online', 'online'], ['online', 'gone'], ['online', 'gone']]));
    expect(steps.map((s) => s.states)).toEqual([{}, {}, {}]);
    expect(notified(steps)).toEqual(['-', '-', '-']);
  });

  it('a lost worker that vanishes from a degraded connection (part unreadable) stays firing 10 min, then counts as gone', () => {
    const degraded = { status: 'degraded' as const };
    const steps = runTimeline([rule('workerLost')], 14, (i, at) => [connection(at, i === 0 ? { workers: [worker('w1', { state: 'offline' })] } : degraded)]);
    expect(statesOf(steps, 'workerLost')).toEqual([...Array(11).fill('firing'), 'resolved', 'resolved', 'resolved']); // gone at 10 min, then keepFiringFor 15 s
    expect(steps[5]!.state.alerts[0]).toMatchObject({ value: null, seenAt: t0 });
  });

  it('on a connection that is down, it stays firing however long (the broker rule says what happened)', () => {
    const steps = runTimeline([rule('workerLost')], 30, (i, at) => [connection(at, i === 0 ? { workers: [worker('w1', { state: 'offline' })] } : { status: 'unreachable' })]);
    expect(statesOf(steps, 'workerLost').every((state) => state === 'firing')).toBe(true);
  });

  it('a grace can also be set on the rule: offline for 2 min before it fires', () => {
    const steps = runTimeline([rule('workerLost', { forMs: 2 * minute })], 4, workersAt([['offline'], ['online'], ['offline'], ['offline']]));
    expect(statesOf(steps, 'workerLost')).toEqual(['pending', 'inactive', 'pending', 'pending']);
  });
});

describe('waiting work and no consumer', () => {
  it('5 waiting and no online worker for a minute: emergency; a worker comes back: resolved', () => {
    const noWorkers = { workers: { online: 0, busy: 0, offline: 0 } };
    const steps = runTimeline([rule('noConsumer')], 5, (i, at) => [connection(at, {
      queues: [queue('default', { waiting: [5, 5, 5, 5, 5][i]!, takenAt: at, ...(i === 4 ? {} : noWorkers) })],
    })], { stepMs: 30_000 });
    expect(statesOf(steps, 'noConsumer')).toEqual(['pending', 'pending', 'firing', 'firing', 'resolved']);
    expect(steps[2]!.state.alerts[0]!.level).toBe('emergency');
  });

  it('nothing waiting, or workers that cannot be seen: nothing', () => {
    const idle = runTimeline([rule('noConsumer', { forMs: 0 })], 1, queueSeries('waiting', [0], { workers: { online: 0, busy: 0, offline: 0 } }));
    const unseen = runTimeline([rule('noConsumer', { forMs: 0 })], 1, queueSeries('waiting', [50], { workers: { online: null, busy: null, offline: null } }));
    expect([idle[0]!.states, unseen[0]!.states]).toEqual([{}, {}]);
  });
});

describe('broker unreachable', () => {
  const down = { status: 'unreachable' as const, statusReason: { code: 'TARGET_UNREACHABLE' as const, detail: 'connect ECONNREFUSED' } };

  it('ok, down, down, back: emergency once, resolved once back 15 s; queue alerts held as they were meanwhile', () => {
    const rules = defaultRules.filter((r) => r.enabled);
    const steps = runTimeline(rules, 5, (i, at) => {
      const queues = [queue('default', { waiting: 1500, takenAt: t0 })];
      // While down, the view still holds the last good poll's queues (figures of t0).
      return [connection(at, i === 1 || i === 2 ? { ...down, queues, lastGoodPollAt: t0, takenAt: t0 } : { queues })];
    });
    expect(statesOf(steps, 'brokerUnreachable')).toEqual(['inactive', 'firing', 'firing', 'firing', 'resolved']);
    expect(statesOf(steps, 'backlog')).toEqual(['firing', 'firing', 'firing', 'firing', 'firing']);
    expect(steps.map((s) => s.decisions.map((d) => `${d.alert.ruleId} ${d.reason}`).join() || '-'))
      .toEqual(['backlog first', 'brokerUnreachable first', '-', '-', 'brokerUnreachable resolved']);
    expect(steps[1]!.decisions[0]!.alert.level).toBe('emergency');
  });

  it('a refused password is its own emergency', () => {
    const steps = runTimeline([rule('brokerUnauthorized')], 1, (_i, at) => [connection(at, { status: 'unauthorized' })]);
    expect(steps[0]!.decisions.map((d) => [d.alert.key, d.alert.level])).toEqual([['brokerUnauthorized{connection="prod"}', 'emergency']]);
  });

  it('a degraded connection (a missing permission) fires nothing by itself', () => {
    const rules = defaultRules.filter((r) => r.enabled);
    const steps = runTimeline(rules, 1, (_i, at) => [connection(at, { status: 'degraded' })]);
    expect(steps[0]!.states).toEqual({});
  });

  it('a connection removed from the config: its firing alerts resolve with that cause', () => {
    const steps = runTimeline([rule('brokerUnreachable')], 2, (i, at) => (i === 0 ? [connection(at, down)] : []));
    expect(statesOf(steps, 'brokerUnreachable')).toEqual(['firing', 'resolved']);
    expect(steps[1]!.state.alerts[0]!.resolvedAt).toBe(t0 + minute);
  });
});

describe('broker resources (critical)', () => {
  const redis = (over: Partial<RedisBrokerFigures>): RedisBrokerFigures => ({
    kind: 'redis', takenAt: t0, nodes: 1, version: '7.2.4', uptimeSeconds: 100, usedMemoryBytes: 0, maxMemoryBytes: 0,
    maxMemoryPolicy: 'noeviction', memFragmentationRatio: 1, cpuPercent: 1, connectedClients: 3, opsPerSec: 1,
    evictedKeys: 0, evictedKeysDelta: 0, notes: {}, ...over,
  });
  const node = (over: Partial<RabbitNodeFigures>): RabbitNodeFigures => ({
    name: 'rabbit@a', running: true, memoryUsedBytes: 1, memoryLimitBytes: 2, memoryAlarm: false, diskFreeBytes: 9, diskFreeLimitBytes: 1,
    diskFreeAlarm: false, fdUsedCount: 1, fdTotalCount: 9, socketsUsedCount: 1, socketsTotalCount: 9, processesUsedCount: 1,
    processesTotalCount: 9, uptimeMs: 1, partitions: [], ...over,
  });
  const rabbit = (nodes: RabbitNodeFigures[] | null): RabbitBrokerFigures => ({ kind: 'rabbitmq', takenAt: t0, version: '3.13', nodes, alarms: null, notes: {} });

  it('Redis memory 50% 92% 87% 80% of maxmemory (fires at 90%, clears below 85%)', () => {
    const used = [50, 92, 87, 80];
    const steps = runTimeline([rule('brokerMemory')], 4, (i, at) => [connection(at, { broker: redis({ usedMemoryBytes: used[i]! * 1_000_000, maxMemoryBytes: 100_000_000 }) })]);
    expect(statesOf(steps, 'brokerMemory')).toEqual(['inactive', 'firing', 'firing', 'resolved']);
    expect(steps[1]!.state.alerts[0]).toMatchObject({ level: 'critical', value: 0.92 });
  });

  it('no maxmemory set: the ratio cannot be told, nothing fires', () => {
    const steps = runTimeline([rule('brokerMemory')], 1, (_i, at) => [connection(at, { broker: redis({ usedMemoryBytes: 5e9, maxMemoryBytes: 0 }) })]);
    expect(steps[0]!.states).toEqual({});
  });

  it('evictions: 12 keys evicted since the last poll fire; it keeps firing 10 min after the last eviction', () => {
    const delta = [0, 12, 0, 0, 3, 0, 0, 0];
    const steps = runTimeline([rule('brokerEvictions')], 8, (i, at) => [connection(at, { broker: redis({ evictedKeysDelta: delta[i]! }) })], { stepMs: 5 * minute });
    expect(statesOf(steps, 'brokerEvictions')).toEqual(['inactive', 'firing', 'firing', 'firing', 'firing', 'firing', 'firing', 'resolved']);
    expect(notified(steps)).toEqual(['-', 'first', '-', '-', '-', '-', '-', 'resolved']);
  });

  it('RabbitMQ memory and disk alarms: any node raising one fires; nodes unreadable: unknown', () => {
    const brokers = [
      rabbit([node({}), node({ name: 'rabbit@b' })]),
      rabbit([node({}), node({ name: 'rabbit@b', memoryAlarm: true })]),
      rabbit([node({ diskFreeAlarm: true }), node({ name: 'rabbit@b', memoryAlarm: true })]),
      rabbit(null),
      rabbit([node({}), node({ name: 'rabbit@b' })]),
    ];
    const steps = runTimeline([rule('brokerMemoryAlarm'), rule('brokerDiskAlarm')], 5, (i, at) => [connection(at, { frameworks: ['rabbitmq'], broker: brokers[i]! })]);
    expect(statesOf(steps, 'brokerMemoryAlarm')).toEqual(['inactive', 'firing', 'firing', 'firing', 'resolved']);
    expect(statesOf(steps, 'brokerDiskAlarm')).toEqual(['inactive', 'inactive', 'firing', 'firing', 'resolved']);
    expect(steps[2]!.state.alerts.every((a) => a.level === 'critical')).toBe(true);
  });
});

describe('a task running past its timeout (error), per task, from its own start', () => {
  const running = (rows: RunningTask[][]) => (i: number, at: number) => [connection(at, { runningTasks: rows[i]! })];
  const a = task('a', t0 - 30_000, 180_000);

  it('task a (timeout 3 min, started 30 s before the first poll) fires once past 3 min, resolves when it ends', () => {
    const steps = runTimeline([rule('taskTimeout')], 6, running([[a], [a], [a], [a], [a], []]));
    expect(statesOf(steps, 'taskTimeout')).toEqual(['inactive', 'inactive', 'inactive', 'firing', 'firing', 'resolved']);
    expect(notified(steps)).toEqual(['-', '-', '-', 'first', '-', 'resolved']);
    expect(steps[3]!.state.alerts[0]).toMatchObject({ level: 'error', value: 210_000, threshold: 180_000, labels: { task: 'a' } });
  });

  it('a task without a recorded timeout is compared with the rule\'s value', () => {
    const b = task('b', t0, null);
    const steps = runTimeline([rule('taskTimeout', { condition: { figure: 'taskRunningMs', op: '>', value: 2 * minute } })], 4, running([[b], [b], [b], [b]]));
    expect(statesOf(steps, 'taskTimeout')).toEqual(['inactive', 'inactive', 'inactive', 'firing']);
  });

  it('two slow tasks are two alerts; a retry of a (a new start) is a new incident', () => {
    const c = task('c', t0 - 10 * minute, 60_000);
    const retried = task('a', t0 + 2 * minute, 180_000);
    const steps = runTimeline([rule('taskTimeout')], 7, running([[a, c], [a, c], [a, c], [a, c], [retried], [retried], [retried]]));
    expect(steps.map((s) => s.notified.join() || '-')).toEqual(['first', '-', '-', 'first', 'resolved,resolved', '-', 'first']);
  });
});

describe('predictive: backlog will pass 1000 within 15 min', () => {
  const forecastRule = rule('backlogForecast', { enabled: true });

  it('waiting grows 50/min from 0: fires when the trend crosses 1000 within 15 min (at 5 min, crossing in 15)', () => {
    const values = [0, 50, 100, 150, 200, 250, 300];
    const steps = runTimeline([forecastRule], 7, queueSeries('waiting', values));
    expect(statesOf(steps, 'backlogForecast')).toEqual(['inactive', 'inactive', 'inactive', 'inactive', 'inactive', 'firing', 'firing']);
    expect(steps[5]!.state.alerts[0]).toMatchObject({ forecastMs: 15 * minute, value: 250, threshold: 1000 });
    expect(steps[5]!.state.alerts[0]!.summary).toContain('crossing in 15 min');
    expect(notified(steps)).toEqual(['-', '-', '-', '-', '-', 'first', '-']);
  });

  it('the growth stops: once the trend of the last 10 min is flat, the forecast is unknown and it resolves', () => {
    const values = [0, 100, 200, 300, 300, 300, 300, 300, 300, 300, 300, 300, 300, 300, 300, 300];
    const steps = runTimeline([forecastRule], values.length, queueSeries('waiting', values));
    const states = statesOf(steps, 'backlogForecast');
    expect(states.slice(0, 4)).toEqual(['inactive', 'inactive', 'firing', 'firing']);
    expect(states.at(-1)).toBe('resolved');
    expect(notified(steps).filter((n) => n !== '-')).toEqual(['first', 'resolved']);
  });
});

describe('summaries', () => {
  it('say the rule, where, and the figure against its threshold in units', async () => {
    const steps = runTimeline([rule('brokerUnreachable'), rule('oldestWaiting'), rule('failureRatio')], 1, (_i, at) => [
      connection(at, { queues: [queue('default', { oldestWaitingAgeMs: 400_000, successRatio: 0.9, finishedCount: 40 })] }),
      connection(at, { id: 'staging', status: 'unreachable' }),
    ]);
    expect(steps[0]!.state.alerts.map((a) => a.summary)).toEqual([
      'Broker unreachable — staging: connectionStatus unreachable',
      'Failure rate over 5% in 10 min — prod rq default: failureRatio 10% > 5%',
      'Oldest waiting task older than 5 min — prod rq default: oldestWaitingAgeMs 6.7 min > 5 min',
    ]);
  });
});
