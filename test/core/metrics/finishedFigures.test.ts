import { describe, expect, it } from 'vitest';
import { computeFinishedFigures } from '../../../src-main/core/metrics/finishedFigures.js';
import type { FinishedSample } from '../../../src-main/contract/snapshot.js';

const base = 1_700_000_000_000;
function sample(tasks: FinishedSample['tasks'], windowMs = 600_000, extra: Partial<FinishedSample> = {}): FinishedSample {
  return { queue: 'q', fromAt: base, toAt: base + windowMs, source: 'timestamps', tasks, truncated: false, ...extra };
}

describe('computeFinishedFigures', () => {
  it('without a sample every rate figure is null with the reason', () => {
    const f = computeFinishedFigures(undefined);
    expect(f).toMatchObject({ throughputPerMin: null, waitLatencyMs: null, runLatencyMs: null, successRatio: null });
    expect(f.notes.throughputPerMin).toBe('no record of finished tasks was available');
  });

  it('an empty window is a throughput of 0, not null, and no ratio', () => {
    const f = computeFinishedFigures(sample([]));
    expect(f.throughputPerMin).toBe(0);
    expect(f.successRatio).toBeNull();
    expect(f.notes.successRatio).toBe('no task finished in the window');
    expect(f.waitLatencyMs).toBeNull();
  });

  it('counts successes and failures inside the window and skips those outside', () => {
    const t = (off: number, ok: boolean) => ({ enqueuedAt: base + off - 300, startedAt: base + off - 100, finishedAt: base + off, succeeded: ok });
    const f = computeFinishedFigures(sample([t(1000, true), t(2000, true), t(3000, false), t(700_000, true), { ...t(4000, true), finishedAt: base - 1 }]));
    expect(f.throughputPerMin).toBe(0.3); // 3 in 10 minutes
    expect(f.successRatio).toBe(0.6667);
    expect(f.waitLatencyMs).toEqual({ p50: 200, p95: 200 });
    expect(f.runLatencyMs).toEqual({ p50: 100, p95: 100 });
  });

  it('events heard over 5 s give a per-minute rate', () => {
    const done = { enqueuedAt: null, startedAt: base + 10, finishedAt: base + 20, succeeded: true };
    const f = computeFinishedFigures(sample([done, done], 5000, { source: 'events' }));
    expect(f.throughputPerMin).toBe(24);
    expect(f.waitLatencyMs).toBeNull();
    expect(f.notes.waitLatencyMs).toBe('enqueue or start times were not recorded');
    expect(f.notes.throughputPerMin).toBe('from events heard over 5 s');
  });

  it('respects the minimum finished count for the ratio', () => {
    const done = { enqueuedAt: null, startedAt: null, finishedAt: base + 20, succeeded: false };
    expect(computeFinishedFigures(sample([done]), 20).successRatio).toBeNull();
    expect(computeFinishedFigures(sample([done]), 20).notes.successRatio).toBe('only 1 of the 20 finished tasks it needs in the window');
    expect(computeFinishedFigures(sample([done]), 1).successRatio).toBe(0);
  });
});
