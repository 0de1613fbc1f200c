import type { Percentiles } from '../../contract/figures.js';

/** `?` is "cannot tell", never confused with 0. */
export const unknownMark = '?';

export function formatCount(n: number | null): string {
  return n === null ? unknownMark : n.toLocaleString('en-US');
}

export function formatRatio(r: number | null): string {
  return r === null ? unknownMark : `${(r * 100).toFixed(r === 1 || r === 0 ? 0 : 1)}%`;
}

export function formatRate(perMin: number | null): string {
  return perMin === null ? unknownMark : `${perMin.toLocaleString('en-US', { maximumFractionDigits: 1 })}/min`;
}

/** A duration for people: 850 ms, 12 s, 3 min 20 s, 2 h 5 min, 3 d 4 h. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return unknownMark;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

export function formatPercentiles(p: Percentiles | null): string {
  return p === null ? unknownMark : `${formatDuration(p.p50)} / ${formatDuration(p.p95)}`;
}

/** Local time with its zone, e.g. `2026-12-03 19:20:01 UTC` or `2026-12-03 20:20:01 GMT+1`. */
export function formatTime(epochMs: number | null, timeZone?: string): string {
  if (epochMs === null) return unknownMark;
  const parts = new Intl.DateTimeFormat('en-GB', {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    hourCycle: 'h23', timeZoneName: 'short', ...(timeZone ? { timeZone } : {}),
  }).formatToParts(new Date(epochMs));
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')} ${get('timeZoneName')}`;
}

/** "3 min ago" relative to `now`. */
export function formatAgo(epochMs: number | null, now: number): string {
  if (epochMs === null) return unknownMark;
  const ms = now - epochMs;
  return ms < 0 ? `in ${formatDuration(-ms)}` : `${formatDuration(ms)} ago`;
}

/** Control characters from broker data are shown escaped, never sent to the terminal raw. */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
