import { describe, expect, it } from 'vitest';
import { decodeHandOff, deepLinkArgs, deepLinkHash, encodeHandOff, handOffSocketPath, parseDeepLinkArgs } from '../../src-main/contract/deepLink.js';

describe('parseDeepLinkArgs', () => {
  it.each([
    [['open', 'queue', '--name', 'emails'], { kind: 'queue', name: 'emails' }],
    [['queue', '--name=a=b', '--framework', 'rq', '--connection', 'prod'], { kind: 'queue', name: 'a=b', framework: 'rq', connection: 'prod' }],
    [['open', 'task', '--id', '4f6c-1e2a'], { kind: 'task', id: '4f6c-1e2a' }],
    [['--hidden', '--original-process-start-time=1234', 'open', 'task', '--no-sandbox', '--id', 'x'], { kind: 'task', id: 'x' }],
    [['open', 'alerts'], { kind: 'alerts' }],
    [['settings'], { kind: 'settings' }],
    [['open', 'dashboard'], { kind: 'dashboard' }],
  ])('%j names a place', (args, link) => {
    expect(parseDeepLinkArgs(args)).toEqual({ link });
  });

  it.each([
    [[], null],
    [['--hidden'], null],
    [['open', 'queue'], 'open queue needs --name'],
    [['open', 'task', '--id'], '--id needs a value'],
    [['open', 'worker'], 'unknown place "worker": queue, task, dashboard, alerts or settings'],
    [['queue', '--name', 'x', '--framework', 'resque'], '--framework resque: one of celery, rq, bullmq, sidekiq, rabbitmq'],
  ])('%j: no place (%s)', (args, problem) => {
    expect(parseDeepLinkArgs(args)).toEqual({ link: null, problem });
  });

  it('deepLinkArgs gives arguments that parse back to the same link', () => {
    for (const link of [{ kind: 'queue', name: 'q 1', framework: 'celery', connection: 'c' }, { kind: 'task', id: 'id-9' }, { kind: 'settings' }] as const) {
      expect(parseDeepLinkArgs(deepLinkArgs(link)).link).toEqual(link);
    }
  });
});

describe('deepLinkHash', () => {
  const known = [
    { connection: 'prod', framework: 'celery' as const, queue: 'emails' },
    { connection: 'stage', framework: 'rq' as const, queue: 'emails' },
  ];
  it('completes a queue link from the queues the monitor knows, escaping every segment', () => {
    expect(deepLinkHash({ kind: 'queue', name: 'emails' }, known)).toBe('#/queue/prod/celery/emails');
    expect(deepLinkHash({ kind: 'queue', name: 'emails', framework: 'rq' }, known)).toBe('#/queue/stage/rq/emails');
    expect(deepLinkHash({ kind: 'queue', name: 'a/b#c', framework: 'rq', connection: 'x y' }, [])).toBe('#/queue/x%20y/rq/a%2Fb%23c');
  });
  it('goes to the dashboard for a queue nobody knows; tasks and views map directly', () => {
    expect(deepLinkHash({ kind: 'queue', name: 'nope' }, known)).toBe('#/');
    expect(deepLinkHash({ kind: 'task', id: 'a/b' }, known)).toBe('#/task/a%2Fb');
    expect(deepLinkHash({ kind: 'alerts' }, known)).toBe('#/alerts');
  });
});

describe('hand-off messages', () => {
  it('round-trips a link as one JSON line, and refuses anything else', () => {
    const link = { kind: 'queue' as const, name: 'emails', connection: 'prod' };
    expect(encodeHandOff(link)).toBe('{"open":{"kind":"queue","name":"emails","connection":"prod"}}\n');
    expect(decodeHandOff(encodeHandOff(link).trim())).toEqual(link);
    expect(decodeHandOff('{"open":{"kind":"queue"}}')).toBeNull();
    expect(decodeHandOff('{"open":{"kind":"rm -rf"}}')).toBeNull();
    expect(decodeHandOff('not json')).toBeNull();
    expect(decodeHandOff('null')).toBeNull();
  });
  it('socket path: open.sock in the data folder, a per-user named pipe on Windows', () => {
    expect(handOffSocketPath('linux', '/home/ann/.config/task-status/', 'ann')).toBe('/home/ann/.config/task-status/open.sock');
    expect(handOffSocketPath('win32', 'C:\\Users\\ann\\AppData\\Roaming\\task-status', 'ann b')).toBe('\\\\.\\pipe\\task-status-ann_b-open');
  });
});
