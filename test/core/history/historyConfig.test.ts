import { describe, expect, it } from 'vitest';
import { retentionFromConfig, parseRetentionSpan } from '../../../src-main/core/history/historyConfig.js';
import { defaultRetention } from '../../../src-main/core/history/historyFigures.js';

const day = 86_400_000;

describe('retentionFromConfig', () => {
  it('reads history: { raw: 24h, minute: 30d, hour: 1y } as the defaults, and only the members set', () => {
    expect(retentionFromConfig({ raw: '24h', minute: '30d', hour: '1y' }, 'config.json', defaultRetention))
      .toEqual({ rawMs: defaultRetention.rawMs, minuteMs: defaultRetention.minuteMs, hourMs: defaultRetention.hourMs });
    expect(retentionFromConfig({ failedTasks: '2w', tasks: '36h' }, 'c', defaultRetention)).toEqual({ failedTaskMs: 14 * day, taskMs: 1.5 * day });
    expect(retentionFromConfig(undefined, 'c', defaultRetention)).toEqual({});
  });

  it('names the wrong member', () => {
    expect(() => retentionFromConfig({ raw: 'a day' }, 'c.yaml', defaultRetention)).toThrow(/c\.yaml: history\.raw: "a day" is not a duration/);
    expect(() => retentionFromConfig({ rows: '1d' }, 'c', defaultRetention)).toThrow(/history\.rows: unknown setting/);
    expect(() => retentionFromConfig({ raw: 5 }, 'c', defaultRetention)).toThrow(/history\.raw: expected a duration/);
    expect(() => retentionFromConfig({ raw: '60d' }, 'c', defaultRetention)).toThrow(/raw retention must not exceed the 1 min one/);
    expect(() => retentionFromConfig('1y', 'c', defaultRetention)).toThrow(/expected an object/);
  });

  it('units ms to years (365 days)', () => {
    expect(['500ms', '5s', '90m', '2h', '3d', '1w', '1y', '1.5d'].map((t) => parseRetentionSpan(t, 'x')))
      .toEqual([500, 5000, 5_400_000, 7_200_000, 3 * day, 7 * day, 365 * day, 1.5 * day]);
  });
});
