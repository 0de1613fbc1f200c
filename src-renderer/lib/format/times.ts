const parts = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'short',
});

/** An instant in the reader's local time with its zone: `2026-12-03 14:05:06 GMT+1`. */
export function formatLocalTime(at: number): string {
  const part: Record<string, string> = {};
  for (const { type, value } of parts.formatToParts(new Date(at))) part[type] = value;
  return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}:${part.second} ${part.timeZoneName}`;
}

/** The same instant in ISO form, for a `<time datetime>`. */
export function isoTime(at: number): string {
  return new Date(at).toISOString();
}

/** The reader's zone name at an instant (`CET`, `GMT+1`): it changes with daylight saving. */
export function localZone(at: number): string {
  return parts.formatToParts(new Date(at)).find((part) => part.type === 'timeZoneName')?.value ?? '';
}

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const dayAndClock = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const day = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' });

/** A time-axis label in local time, as precise as the span shown needs: `14:05`, `3 Dec 14:00`, `Thu 3 Dec`. */
export function formatAxisTime(at: number, spanMs: number): string {
  if (spanMs <= 24 * 3_600_000) return clock.format(new Date(at));
  if (spanMs <= 3 * 24 * 3_600_000) return dayAndClock.format(new Date(at));
  return day.format(new Date(at));
}
