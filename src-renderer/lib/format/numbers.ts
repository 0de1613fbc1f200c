const exact = new Intl.NumberFormat(undefined, { maximumFractionDigits: 3 });

/** Every digit, grouped for the reader (`1,234,567`): for titles, next to the short form. */
export function formatExact(value: number): string {
  return exact.format(value);
}

/** A count for people: `999`, `1.2k`, `34k`, `1.2M`. */
export function formatCount(value: number): string {
  const abs = Math.abs(value);
  if (abs < 1_000) return String(Math.round(value * 100) / 100);
  const [divisor, unit] = abs < 1e6 ? [1e3, 'k'] : abs < 1e9 ? [1e6, 'M'] : [1e9, 'G'];
  const scaled = value / divisor;
  const digits = Math.abs(scaled) < 10 ? 1 : 0;
  return `${Number(scaled.toFixed(digits))}${unit}`;
}

/** A per-minute rate: `0.4/min`, `12/min`, `1.5k/min`. */
export function formatRate(perMin: number): string {
  if (perMin !== 0 && Math.abs(perMin) < 10) return `${Number(perMin.toFixed(1))}/min`;
  return `${formatCount(Math.round(perMin))}/min`;
}

/** A 0..1 ratio as a percentage: `100 %`, `97.5 %`. */
export function formatRatio(ratio: number): string {
  return `${Number((ratio * 100).toFixed(1))} %`;
}
