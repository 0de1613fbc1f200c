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
