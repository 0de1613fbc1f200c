import { describe, expect, it } from 'vitest';
import type { Api } from '../../../../src-main/contract/api.js';
import { alertsApiOf, historyApiOf } from '../../../../src-renderer/lib/api/optionalApi.js';

const fn = async () => ({});

describe('optional Api members', () => {
  it('are offered only when the transport has every one of them', () => {
    const old = { getDashboard: fn, getQueues: fn, getTask: fn, onDidChangeDashboard: () => () => {} } as unknown as Api;
    expect([historyApiOf(old), alertsApiOf(old)]).toEqual([null, null]);
    const half = { ...old, getHistory: fn, getAlerts: fn, acknowledgeAlert: fn } as unknown as Api;
    expect([historyApiOf(half), alertsApiOf(half)]).toEqual([null, null]);
    const full = { ...half, getHistoryInfo: fn, snoozeAlert: fn, onDidChangeAlerts: () => () => {} } as unknown as Api;
    expect(historyApiOf(full)).toBe(full);
    expect(alertsApiOf(full)).toBe(full);
  });
});
