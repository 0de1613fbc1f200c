import type { ApiError } from '../../../src-main/contract/errors.js';
import type { QueueFigures } from '../../../src-main/contract/figures.js';
import type { HistoryPoint } from '../../../src-main/contract/history.js';
import type { Api } from '../../../src-main/contract/api.js';
import { toApiError } from '../api/apiCallError.js';
import { historyApiOf } from '../api/optionalApi.js';
import type { HistoryStatus } from './historyAvailability.js';

/** The span a sparkline covers and how often it is read again. */
export const sparklineSpanMs = 60 * 60_000;
const refreshMs = 30_000;
const sparklinePoints = 120;

export function sparklineKey(queue: Pick<QueueFigures, 'connection' | 'framework' | 'namespace' | 'queue'>): string {
  return JSON.stringify([queue.connection, queue.framework, queue.namespace, queue.queue]);
}

/**
 * `waiting` over the last hour for every queue of the overview, read from the history at most
 * every 30 s (the live figures come with every poll; a sparkline's shape hardly changes in
 * between). Written only by `refresh`; components read `pointsOf`.
 */
export class SparklineState {
  #points = $state.raw<ReadonlyMap<string, HistoryPoint[]>>(new Map());
  #status = $state.raw<HistoryStatus>({ kind: 'loading' });
  #stepMs = $state.raw<number | null>(null);
  #lastAt = 0;
  #inflight = false;
  #enabled: boolean | null = null;
  #startAt = $state.raw<number | null>(null);

  get status(): HistoryStatus {
    return this.#status;
  }

  /** The bucket width of the last answer, for telling gaps; `null` when raw or unknown. */
  get stepMs(): number | null {
    return this.#stepMs;
  }

  /**
   * Where a sparkline starts at `now`: an hour back, or where the history begins when it is
   * younger (a fresh monitor's few minutes fill the line instead of a dot at its end).
   */
  fromAt(now: number): number {
    return Math.max(now - sparklineSpanMs, Math.min(this.#startAt ?? -Infinity, now - 60_000));
  }

  pointsOf(queue: Pick<QueueFigures, 'connection' | 'framework' | 'namespace' | 'queue'>): HistoryPoint[] | undefined {
    return this.#points.get(sparklineKey(queue));
  }

  /** Reads the sparklines of these queues unless they were read less than 30 s ago (`force` reads anyway). */
  async refresh(api: Api, queues: readonly QueueFigures[], now: number, force = false): Promise<void> {
    const history = historyApiOf(api);
    if (history === null) {
      this.#status = { kind: 'unavailable' };
      return;
    }
    if (this.#inflight || (!force && now - this.#lastAt < refreshMs)) return;
    this.#inflight = true;
    this.#lastAt = now;
    try {
      if (this.#enabled === null) {
        const info = await history.getHistoryInfo({});
        this.#enabled = info.enabled;
        this.#startAt = info.oldestAt.raw ?? now;
      }
      if (!this.#enabled) {
        this.#status = { kind: 'disabled' };
        return;
      }
      const next = new Map<string, HistoryPoint[]>();
      let failure: ApiError | null = null;
      await Promise.all(queues.map(async (queue) => {
        try {
          const view = await history.getHistory({
            connection: queue.connection, framework: queue.framework, namespace: queue.namespace, queue: queue.queue,
            figures: ['waiting'], fromAt: now - sparklineSpanMs, toAt: now, maxPoints: sparklinePoints,
          });
          const series = view.series.find((s) => s.namespace === queue.namespace) ?? view.series[0];
          next.set(sparklineKey(queue), series?.points ?? []);
          this.#stepMs = view.bucketMs;
        } catch (reason) {
          failure = toApiError(reason);
        }
      }));
      this.#points = next;
      this.#status = failure === null ? { kind: 'ready' } : { kind: 'failed', error: failure };
    } catch (reason) {
      this.#status = { kind: 'failed', error: toApiError(reason) };
    } finally {
      this.#inflight = false;
    }
  }
}
