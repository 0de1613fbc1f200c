import { describe, expect, it } from 'vitest';
import type { HistorySeries, HistoryView } from '../../../../src-main/contract/history.js';
import { buildChartConfig, clipLine, formatAxisValue, formatChartValue, pointRadii } from '../../../../src-renderer/lib/charts/chartConfig.js';
import { chartRange, rangeWindow } from '../../../../src-renderer/lib/charts/ranges.js';
import { prepareTrendChart, trendChartSpecs, trendFigures } from '../../../../src-renderer/lib/charts/trendCharts.js';

const spec = (key: string) => trendChartSpecs.find((s) => s.key === key)!;
const series = (figure: HistorySeries['figure'], namespace: string, points: HistorySeries['points']): HistorySeries => ({
  connection: 'prod', framework: 'rq', namespace, queue: 'default', figure, aggregate: 'max', points,
});
const view = (series: HistorySeries[], bucketMs: number | null = 60_000): HistoryView => ({ fromAt: 0, toAt: 600_000, resolution: '1m', bucketMs, series });
const palette = { text: '#000', muted: '#555', grid: '#ddd', lines: ['#00f', '#f00'], forecast: '#888' };

describe('trend chart specs', () => {
  it('ask for waiting, throughput, both latencies at p50 and p95, and the success ratio', () => {
    expect(trendFigures).toEqual(['waiting', 'throughputPerMin', 'waitLatencyP50Ms', 'waitLatencyP95Ms', 'runLatencyP50Ms', 'runLatencyP95Ms', 'successRatio']);
  });
});

describe('prepareTrendChart', () => {
  it('takes the series of the namespace asked, in time order, with gaps as nulls', () => {
    const chart = prepareTrendChart(spec('waiting'), view([
      series('waiting', 'db1', [{ at: 0, value: 99 }]),
      series('waiting', 'db0', [{ at: 60_000, value: 3 }, { at: 0, value: 1 }, { at: 300_000, value: 5 }]),
    ]), 'db0');
    expect(chart.lines).toEqual([{ label: 'waiting', points: [{ x: 0, y: 1 }, { x: 60_000, y: 3 }, { x: 120_000, y: null }, { x: 300_000, y: 5 }] }]);
    expect(chart.summary).toEqual({ min: 1, max: 5, last: 5, lastAt: 300_000 });
    expect([chart.fromAt, chart.toAt]).toEqual([0, 600_000]);
  });

  it('draws the failure ratio as 1 − success ratio, unknown staying unknown', () => {
    const chart = prepareTrendChart(spec('failureRatio'), view([series('successRatio', 'db0', [{ at: 0, value: 0.9 }, { at: 60_000, value: null }])]), 'db0');
    expect(chart.lines[0]!.points).toEqual([{ x: 0, y: 0.09999999999999998 }, { x: 60_000, y: null }]);
  });

  it('gives an empty line, not zeros, for a figure never recorded, and one line per percentile', () => {
    const chart = prepareTrendChart(spec('runLatency'), view([series('runLatencyP95Ms', 'db0', [{ at: 0, value: 1500 }])]), 'db0');
    expect(chart.lines).toEqual([{ label: 'p50', points: [] }, { label: 'p95', points: [{ x: 0, y: 1500 }] }]);
    expect(prepareTrendChart(spec('throughput'), view([]), 'db0').summary).toBeNull();
  });
});

describe('buildChartConfig', () => {
  const chart = prepareTrendChart(spec('waitLatency'), view([
    series('waitLatencyP50Ms', 'db0', [{ at: 0, value: 10 }, { at: 60_000, value: null }, { at: 120_000, value: 30 }]),
    series('waitLatencyP95Ms', 'db0', [{ at: 0, value: 20 }]),
  ]), 'db0');

  it('never spans gaps, keeps null points and does not parse them away', () => {
    const config = buildChartConfig(chart, palette);
    expect(config.options?.parsing).toBe(false);
    expect(config.data.datasets.map((d) => d.spanGaps)).toEqual([false, false]);
    expect(config.data.datasets[0]!.data).toEqual([{ x: 0, y: 10 }, { x: 60_000, y: null }, { x: 120_000, y: 30 }]);
    expect(config.data.datasets.map((d) => [d.label, d.borderColor])).toEqual([['p50', '#00f'], ['p95', '#f00']]);
  });

  it('shows exactly the range on the time axis, from zero up on the value axis', () => {
    const x = config().options!.scales!.x as { min: number; max: number };
    expect([x.min, x.max]).toEqual([0, 600_000]);
    expect((config().options!.scales!.y as { beginAtZero: boolean }).beginAtZero).toBe(true);
    function config() { return buildChartConfig(chart, palette); }
  });

  it('adds a dashed forecast, cut a quarter range past the end', () => {
    const config = buildChartConfig(chart, palette, { label: 'forecast', points: [{ x: 600_000, y: 100 }, { x: 1_200_000, y: 0 }] });
    const forecast = config.data.datasets[2]!;
    expect(forecast.borderDash).toEqual([5, 4]);
    expect(forecast.data).toEqual([{ x: 600_000, y: 100 }, { x: 750_000, y: 75 }]);
    expect((config.options!.scales!.x as { max: number }).max).toBe(750_000);
  });

  it('formats values in the chart unit', () => {
    expect([formatChartValue('count', 1234), formatChartValue('rate', 2.5), formatChartValue('duration', 65_000), formatChartValue('ratio', 0.05)])
      .toEqual(['1.2k', '2.5/min', '1 min 5 s', '5 %']);
    expect(clipLine([{ x: 0, y: 10 }, { x: 10, y: 0 }], 20)).toEqual([{ x: 0, y: 10 }, { x: 10, y: 0 }]);
  });
});

describe('points and axis labels', () => {
  it('shows every point of a short line, none of a long one, and always a point alone between gaps', () => {
    expect(pointRadii([{ y: 1 }, { y: 2 }, { y: null }, { y: 3 }, { y: null }])).toEqual([2, 2, 0, 2.5, 0]);
    const long = Array.from({ length: 100 }, (_, i) => ({ y: i === 50 ? null : 1 }));
    long[98] = { y: null };
    const radii = pointRadii(long);
    expect([radii[0], radii[49], radii[50], radii[99]]).toEqual([0, 0, 0, 2.5]);
  });

  it('labels small durations finely enough that ticks differ', () => {
    expect([0, 0.5, 1, 1.5, 2, 250].map((ms) => formatAxisValue('duration', ms))).toEqual(['0 ms', '0.5 ms', '1 ms', '1.5 ms', '2 ms', '250 ms']);
    expect(formatAxisValue('count', 1500)).toBe('1.5k');
  });
});

describe('ranges', () => {
  it('covers 15 min, 1 h, 24 h and 7 d ending now, with bounded points', () => {
    expect(rangeWindow('24h', 100 * 86_400_000)).toEqual({ fromAt: 99 * 86_400_000, toAt: 100 * 86_400_000, maxPoints: 720 });
    expect(chartRange('7d').spanMs).toBe(7 * 86_400_000);
    expect(chartRange('15m').maxPoints).toBeLessThanOrEqual(1000);
  });
});
