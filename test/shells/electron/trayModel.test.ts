import { describe, expect, it } from 'vitest';
import { overallStatusOf } from '../../../src-main/core/status/overallStatus.js';
import { tooltipMaxLength, trayViewOf, waitingTrayView } from '../../../src-main/shells/electron/trayModel.js';
import { connectionView } from '../../core/status/connectionView.js';

const t0 = 1_000_000;
const interval = 5000;
const view = (...connections: Parameters<typeof connectionView>[]) =>
  trayViewOf(overallStatusOf(connections.map(([id, o]) => connectionView(id, o)), t0, interval));
const labels = (v: ReturnType<typeof view>) => v.menu.map((e) => ('label' in e ? e.label : '---'));

describe('trayViewOf', () => {
  it('all good: ok, every connection named', () => {
    const v = view(['prod'], ['cache', { status: 'degraded', statusReason: { code: 'PERMISSION_DENIED', detail: 'CLIENT LIST' } }]);
    expect(v.status).toBe('ok');
    expect(v.title).toBe('');
    expect(v.tooltip).toBe('task-status: OK: 2 connections read, 1 degraded\nprod: ok\ncache: degraded (permission denied: CLIENT LIST)');
    expect(labels(v)).toEqual([
      'Open window', '---', 'OK: 2 connections read, 1 degraded', 'prod: ok', 'cache: degraded (permission denied: CLIENT LIST)', '---', 'Quit task-status',
    ]);
  });

  it('a broker down: emergency, with the reason in words', () => {
    const v = view(['prod', { status: 'unauthorized', statusReason: { code: 'AUTH_FAILED', detail: 'WRONGPASS invalid username-password pair' } }], ['cache']);
    expect([v.status, v.title]).toEqual(['emergency', 'EMERG']);
    expect(labels(v).slice(2, 5)).toEqual([
      'Emergency: broker unreachable: prod', 'prod: unauthorized (password refused: WRONGPASS invalid username-password pair)', 'cache: ok',
    ]);
  });

  it('stale: says how old each connection\'s data is', () => {
    const v = view(['prod', { lastGoodPollAt: t0 - 125_000 }], ['new', { lastGoodPollAt: null }], ['cache']);
    expect([v.status, v.title]).toEqual(['stale', 'STALE']);
    expect(labels(v).slice(2, 6)).toEqual(['Stale: no recent poll: prod, new', 'prod: stale (last read 2 min ago)', 'new: stale (not read yet)', 'cache: ok']);
  });

  it('no connections', () => {
    expect(labels(view()).slice(0, 4)).toEqual(['Open window', '---', 'OK: no connections configured', '---']);
  });

  it('keeps the tooltip within Windows\' limit and menu lines readable', () => {
    const long = 'x'.repeat(300);
    const v = view(['a', { status: 'unreachable', statusReason: { code: 'TARGET_UNREACHABLE', detail: long } }], ['b'], ['c']);
    expect(v.tooltip.length).toBe(tooltipMaxLength);
    expect(v.tooltip.endsWith('…')).toBe(true);
    expect(Math.max(...labels(v).map((l) => l.length))).toBe(90);
  });

  it('before the first poll: stale, waiting', () => {
    expect(waitingTrayView()).toEqual({
      status: 'stale',
      tooltip: 'task-status: Stale: waiting for the first poll',
      title: 'STALE',
      menu: [
        { kind: 'open', label: 'Open window' }, { kind: 'separator' },
        { kind: 'headline', label: 'Stale: waiting for the first poll' }, { kind: 'separator' },
        { kind: 'quit', label: 'Quit task-status' },
      ],
    });
  });
});
