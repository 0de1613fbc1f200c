import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../../src-main/contract/alerts.js';
import { isAboutQueue, sortAlerts, worstLevel } from '../../../../src-renderer/lib/alerts/alertScope.js';

const alert = (key: string, fields: Partial<Alert>): Alert => ({
  key, ruleId: 'r', level: 'warning', state: 'firing', labels: {}, value: 1, threshold: 0, summary: key, activeAt: 0, firedAt: 0,
  resolvedAt: null, lastNotifiedAt: null, acknowledgedAt: null, keepFiringSince: null, evaluatedAt: 0, ...fields,
});
const queue = { connection: 'prod', framework: 'rq' as const, namespace: 'db0', queue: 'default' };

describe('alerts on the page', () => {
  it('an alert is about a queue when its labels name it (namespace and framework when labelled)', () => {
    expect(isAboutQueue(alert('a', { labels: { connection: 'prod', framework: 'rq', namespace: 'db0', queue: 'default' } }), queue)).toBe(true);
    expect(isAboutQueue(alert('b', { labels: { connection: 'prod', queue: 'default' } }), queue)).toBe(true);
    expect(isAboutQueue(alert('c', { labels: { connection: 'prod', namespace: 'db1', queue: 'default' } }), queue)).toBe(false);
    expect(isAboutQueue(alert('d', { labels: { connection: 'prod' } }), queue)).toBe(false);
  });

  it('the worst level wins; none is null', () => {
    expect(worstLevel([alert('a', { level: 'warning' }), alert('b', { level: 'critical' }), alert('c', { level: 'error' })])).toBe('critical');
    expect(worstLevel([])).toBeNull();
  });

  it('firing first, worst first, newest first', () => {
    const sorted = sortAlerts([
      alert('resolved', { state: 'resolved', level: 'emergency' }),
      alert('old-warning', { firedAt: 1 }),
      alert('new-warning', { firedAt: 2 }),
      alert('pending', { state: 'pending', level: 'critical', firedAt: null }),
      alert('critical', { level: 'critical' }),
    ]);
    expect(sorted.map((a) => a.key)).toEqual(['critical', 'new-warning', 'old-warning', 'pending', 'resolved']);
  });
});
