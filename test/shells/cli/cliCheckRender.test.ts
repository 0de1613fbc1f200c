import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../../src-main/contract/alerts.js';
import { renderCheck } from '../../../src-main/shells/cli/check.js';

const base: CheckResult = { status: 'ok', exitCode: 0, evaluatedAt: 1, evaluatedCount: 3, alerts: [], connections: [{ id: 'prod', url: 'redis://h:6379/0', status: 'ok', detail: null }] };

describe('renderCheck', () => {
  it('ok, unknown, stale, and a down broker whose rule is disabled', () => {
    expect(renderCheck(base)).toBe('TASK-STATUS OK - 3 rule instances evaluated, none firing');
    expect(renderCheck({ ...base, exitCode: 3, evaluatedCount: 0 })).toBe('TASK-STATUS UNKNOWN - nothing could be evaluated');
    expect(renderCheck({ ...base, status: 'stale', exitCode: 3, connections: [{ ...base.connections[0]!, status: 'stale' }] }))
      .toBe('TASK-STATUS UNKNOWN - stale: prod not read\nconnection prod (redis://h:6379/0): stale');
    expect(renderCheck({ ...base, status: 'emergency', exitCode: 2, connections: [{ ...base.connections[0]!, status: 'unreachable', detail: 'refused' }] }).split('\n'))
      .toEqual(['TASK-STATUS EMERGENCY - prod unreachable (its rule is disabled, the broker is down all the same)', 'connection prod (redis://h:6379/0): unreachable: refused']);
  });
});
