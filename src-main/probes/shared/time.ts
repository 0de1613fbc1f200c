/**
 * Timestamps as frameworks write them, turned into epoch ms. Units and zones are detected,
 * never assumed (design/ARCHITECTURE.md "Times are instants").
 */

/**
 * An ISO 8601 date-time in epoch ms. A value without a zone is UTC: RQ writes
 * `2026-12-03T17:55:06.937361Z`, Celery ≤5.4 writes naive UTC `2026-12-03T17:55:06.937361`,
 * Celery ≥5.5 adds an offset. Microseconds are truncated to ms. `null` for empty or invalid.
 */
export function parseIsoTime(value: string | null | undefined): number | null {
  if (!value) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(Z|[+-]\d{2}:?\d{2})?$/.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  return Number.isFinite(t) ? t : null;
}

/**
 * An epoch number whose unit varies by version (Sidekiq 8 ms vs ≤7 seconds): decided by
 * magnitude, since JSON cannot tell `1.0` from `1`. Values above 1e11 are ms (1e11 s is year 5138).
 */
export function epochToMs(value: number | string | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n) || n <= 0) return null;
  return n > 1e11 ? Math.round(n) : Math.round(n * 1000);
}

/** Epoch seconds (float) to ms, for fields whose unit is fixed (zset scores, Celery events). */
export function secondsToMs(value: number | string | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? Math.round(n * 1000) : null;
}
