import { describe, expect, it } from 'vitest';
import { sparklinePath } from '../../../../src-renderer/lib/charts/sparkline.js';

const box = { fromAt: 0, toAt: 100, width: 100, height: 22, stepMs: 10 };

describe('sparklinePath', () => {
  it('draws 0 at the bottom and the highest value at the top', () => {
    const line = sparklinePath([{ at: 0, value: 0 }, { at: 10, value: 10 }, { at: 20, value: 5 }], box);
    expect(line).toEqual({ d: 'M0 21 L10 1 L20 11', max: 10, last: 5, runs: 1 });
  });

  it('breaks the line at a null and at a stretch without points', () => {
    const line = sparklinePath([
      { at: 0, value: 2 }, { at: 10, value: 2 }, { at: 20, value: null }, { at: 30, value: 2 }, { at: 40, value: 2 },
      { at: 90, value: 2 }, { at: 100, value: 2 },
    ], box);
    expect(line.runs).toBe(3);
    expect(line.d).toBe('M0 1 L10 1 M30 1 L40 1 M90 1 L100 1');
  });

  it('shows a lone point between gaps as a short dash', () => {
    expect(sparklinePath([{ at: 0, value: null }, { at: 50, value: 3 }, { at: 60, value: null }], box).d).toBe('M50 1 h1.5');
  });

  it('draws all-zero values on the bottom line, not in the middle', () => {
    expect(sparklinePath([{ at: 0, value: 0 }, { at: 10, value: 0 }], box).d).toBe('M0 21 L10 21');
  });

  it('is empty when nothing was recorded in the range (unknown, not zero)', () => {
    expect(sparklinePath([{ at: 0, value: null }, { at: 500, value: 4 }], box)).toEqual({ d: '', max: null, last: null, runs: 0 });
  });
});
