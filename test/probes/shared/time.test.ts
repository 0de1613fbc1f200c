import { describe, expect, it } from 'vitest';
import { epochToMs, parseIsoTime, secondsToMs } from '../../../src-main/probes/shared/time.js';

describe('parseIsoTime', () => {
  it('reads RQ times (Z, microseconds) as UTC', () => {
    expect(parseIsoTime('2026-12-03T17:55:06.937361Z')).toBe(Date.UTC(2026, 11, 3, 17, 55, 6, 937));
  });
  it('reads Celery ≤5.4 naive times as UTC', () => {
    expect(parseIsoTime('2026-12-03T17:55:06.937361')).toBe(Date.UTC(2026, 11, 3, 17, 55, 6, 937));
  });
  it('applies an offset', () => {
    expect(parseIsoTime('2026-12-03T18:55:06+01:00')).toBe(Date.UTC(2026, 11, 3, 17, 55, 6));
    expect(parseIsoTime('2026-12-03T12:55:06.5-05:00')).toBe(Date.UTC(2026, 11, 3, 17, 55, 6, 500));
  });
  it('gives null for empty and invalid values', () => {
    expect(parseIsoTime('')).toBeNull();
    expect(parseIsoTime(null)).toBeNull();
    expect(parseIsoTime('yesterday')).toBeNull();
  });
});

describe('epochToMs', () => {
  it('tells seconds from milliseconds by magnitude', () => {
    expect(epochToMs(1796321428.81)).toBe(1796321428810);
    expect(epochToMs(1796321428810)).toBe(1796321428810);
    expect(epochToMs('1796321428')).toBe(1796321428000);
    expect(epochToMs(null)).toBeNull();
    expect(epochToMs('x')).toBeNull();
  });
  it('secondsToMs keeps a fixed unit', () => {
    expect(secondsToMs('1796321428.5')).toBe(1796321428500);
    expect(secondsToMs('')).toBeNull();
  });
});
