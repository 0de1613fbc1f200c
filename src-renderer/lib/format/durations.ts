const second = 1_000;
const minute = 60 * second;
const hour = 60 * minute;
const day = 24 * hour;

/** A duration for people: `850 ms`, `4.2 s`, `3 min 20 s`, `2 h 5 min`, `3 d 4 h`. */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  const sign = ms < 0 ? '-' : '';
  if (abs < second) return `${sign}${Math.round(abs)} ms`;
  if (abs < 10 * second) return `${sign}${Number((abs / second).toFixed(1))} s`;
  if (abs < minute) return `${sign}${Math.floor(abs / second)} s`;
  if (abs < 10 * minute) return `${sign}${pair(abs, minute, 'min', second, 's')}`;
  if (abs < hour) return `${sign}${Math.floor(abs / minute)} min`;
  if (abs < day) return `${sign}${pair(abs, hour, 'h', minute, 'min')}`;
  return `${sign}${pair(abs, day, 'd', hour, 'h')}`;
}

/** How long ago an instant was, coarsely: `just now`, `12 s ago`, `3 min ago`, `in 2 min`. */
export function formatAgo(at: number, now: number): string {
  const diff = now - at;
  if (Math.abs(diff) < 2 * second) return 'just now';
  const abs = Math.abs(diff);
  const amount = abs < minute ? `${Math.floor(abs / second)} s`
    : abs < hour ? `${Math.floor(abs / minute)} min`
    : abs < day ? `${Math.floor(abs / hour)} h`
    : `${Math.floor(abs / day)} d`;
  return diff > 0 ? `${amount} ago` : `in ${amount}`;
}

function pair(ms: number, big: number, bigUnit: string, small: number, smallUnit: string): string {
  const whole = Math.floor(ms / big);
  const rest = Math.floor((ms - whole * big) / small);
  return rest === 0 ? `${whole} ${bigUnit}` : `${whole} ${bigUnit} ${rest} ${smallUnit}`;
}
