const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

/** Steps a time axis may use, shortest first. */
const steps = [minute, 2 * minute, 5 * minute, 10 * minute, 15 * minute, 30 * minute, hour, 2 * hour, 3 * hour, 6 * hour, 12 * hour, day, 2 * day];

/** The reader's zone offset at an instant, in minutes east of UTC (Date's sign turned round). */
const localOffset = (at: number): number => -new Date(at).getTimezoneOffset();

/**
 * Tick positions on a time axis from `fromAt` to `toAt`: the shortest step giving at most
 * `maxTicks` ticks, placed on round local times (every 5 min at :00, :05…, every day at local
 * midnight), so labels read `08:05 08:10 08:15`, not `08:05 08:15 08:20`.
 */
export function timeTicks(fromAt: number, toAt: number, maxTicks = 6, offsetMinutes: (at: number) => number = localOffset): number[] {
  const span = Math.max(0, toAt - fromAt);
  const step = steps.find((s) => span / s <= maxTicks) ?? Math.ceil(span / maxTicks / day) * day;
  const offset = offsetMinutes(fromAt) * minute;
  const first = Math.ceil((fromAt + offset) / step) * step - offset;
  const ticks: number[] = [];
  for (let at = first; at <= toAt; at += step) ticks.push(at);
  return ticks;
}
