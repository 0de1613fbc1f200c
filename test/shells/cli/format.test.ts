import { describe, expect, it } from 'vitest';
import { formatAgo, formatCount, formatDuration, formatRatio, formatTime, printable } from '../../../src-main/shells/cli/format.js';

describe('CLI formatting', () => {
  it('shows null as ? and 0 as 0', () => {
    expect(formatCount(null)).toBe('?');
    expect(formatCount(0)).toBe('0');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatRatio(null)).toBe('?');
    expect(formatRatio(0.5)).toBe('50.0%');
    expect(formatRatio(1)).toBe('100%');
  });
  it('formats durations for people', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_400)).toBe('12 s');
    expect(formatDuration(200_000)).toBe('3 min 20 s');
    expect(formatDuration(7_500_000)).toBe('2 h 5 min');
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000)).toBe('3 d 4 h');
    expect(formatAgo(1000, 61_000)).toBe('1 min ago');
  });
  it('shows times in local time with the zone', () => {
    const t = Date.UTC(2026, 11, 3, 19, 20, 1);
    expect(formatTime(t, 'UTC')).toBe('2026-12-03 19:20:01 UTC');
    expect(formatTime(t, 'Europe/Berlin')).toBe('2026-12-03 20:20:01 CET');
    expect(formatTime(t, 'America/New_York')).toBe('2026-12-03 14:20:01 GMT-5');
  });
  it('escapes control characters from broker data', () => {
    expect(printable('celery\x06\x163')).toBe('celery\\x06\\x163');
    expect(printable('evil\x1b[2J')).toBe('evil\\x1b[2J');
    expect(printable('line\nnext')).toBe('line\nnext');
  });
});
