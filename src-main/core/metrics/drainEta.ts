/** One reading of a queue's waiting count. */
export interface WaitingPoint {
  at: number;
  waiting: number;
}

/**
 * Time until `waiting` reaches zero at the current net rate (arrivals minus completions): a
 * least-squares slope over the last `spanMs`, starting at the highest point in it, so a burst
 * that is draining is measured from its peak rather than averaged with the calm before it.
 * `0` when nothing waits; `null` when fewer than two points span at least a second since the
 * peak, or the queue is not shrinking.
 */
export function computeDrainEta(points: readonly WaitingPoint[], now: number, spanMs = 60_000): number | null {
  const recent = points.filter((p) => p.at >= now - spanMs && p.at <= now);
  const last = recent.at(-1);
  if (!last) return null;
  if (last.waiting === 0) return 0;
  let peak = 0;
  for (let i = 1; i < recent.length; i++) if (recent[i]!.waiting >= recent[peak]!.waiting) peak = i;
  const run = recent.slice(peak);
  if (run.length < 2 || last.at - run[0]!.at < 1000) return null;
  const slope = slopePerMs(run);
  if (slope >= 0) return null;
  return Math.round(last.waiting / -slope);
}

function slopePerMs(points: readonly WaitingPoint[]): number {
  const n = points.length;
  const meanT = points.reduce((s, p) => s + p.at, 0) / n;
  const meanW = points.reduce((s, p) => s + p.waiting, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.at - meanT) * (p.waiting - meanW);
    den += (p.at - meanT) ** 2;
  }
  return den === 0 ? 0 : num / den;
}
