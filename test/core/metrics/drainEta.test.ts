import { describe, expect, it } from 'vitest';
import { computeDrainEta } from '../../../src-main/core/metrics/drainEta.js';

const at = (s: number) => 1_000_000 + s * 1000;

describe('computeDrainEta', () => {
  it('is 0 when nothing waits', () => {
    expect(computeDrainEta([{ at: at(0), waiting: 0 }], at(0))).toBe(0);
  });
  it('is null with a single point: the trend is not known yet', () => {
    expect(computeDrainEta([{ at: at(0), waiting: 10 }], at(0))).toBeNull();
  });
  it('waiting 100 → 90 over 5 s drains the remaining 90 in 45 s', () => {
    expect(computeDrainEta([{ at: at(0), waiting: 100 }, { at: at(5), waiting: 90 }], at(5))).toBe(45_000);
  });
  it('is null for a queue that grows or holds steady', () => {
    expect(computeDrainEta([{ at: at(0), waiting: 10 }, { at: at(5), waiting: 12 }], at(5))).toBeNull();
    expect(computeDrainEta([{ at: at(0), waiting: 10 }, { at: at(5), waiting: 10 }], at(5))).toBeNull();
  });
  it('fits a slope through every recent point and ignores points older than the span', () => {
    const points = [{ at: at(-1000), waiting: 0 }, { at: at(0), waiting: 60 }, { at: at(10), waiting: 50 }, { at: at(20), waiting: 40 }];
    expect(computeDrainEta(points, at(20))).toBe(40_000);
  });
});

describe('computeDrainEta after a burst (a user saw null, then 222 s for a 9 s drain)', () => {
  it('measures from the peak, not from the calm before it', () => {
    // 0 0 0, then 200 arrive and drain at 9/s, read every 2 s.
    const points = [0, 0, 0, 189, 171, 153, 135, 117].map((waiting, i) => ({ at: at(i * 2), waiting }));
    expect(computeDrainEta(points, at(14))).toBe(13_000);
  });
  it('a queue that is still growing has no ETA', () => {
    const points = [10, 50, 90].map((waiting, i) => ({ at: at(i * 2), waiting }));
    expect(computeDrainEta(points, at(4))).toBeNull();
  });
  it('a noisy but falling queue is fitted through all its points from the highest', () => {
    const points = [100, 98, 99, 97, 96, 97, 95].map((waiting, i) => ({ at: at(i * 5), waiting }));
    // Least squares over 30 s from the 100: slope -1/7 per second → 95 × 7 s = 665 s.
    expect(computeDrainEta(points, at(30))).toBe(665_000);
  });
});
