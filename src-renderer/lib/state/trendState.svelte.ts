import type { Api } from '../../../src-main/contract/api.js';
import type { Framework } from '../../../src-main/contract/figures.js';
import type { HistoryInfo, HistoryPoint, HistoryView } from '../../../src-main/contract/history.js';
import { toApiError } from '../api/apiCallError.js';
import { historyApiOf } from '../api/optionalApi.js';
import { chartRange, rangeWindow, type ChartRangeKey } from '../charts/ranges.js';
import { trendFigures } from '../charts/trendCharts.js';
import type { HistoryStatus } from './historyAvailability.js';

/** The drain forecast fits the last 15 minutes of `waiting`. */
export const forecastSpanMs = 15 * 60_000;

export interface TrendTarget {
  connection: string;
  framework: string;
  queue: string;
}

/**
 * The trend charts' data for one queue over the range chosen: read when the queue or the range
 * changes, and again as polls arrive (at most every 1/60 of the range, at least 5 s apart), so a
 * 15-minute chart moves with the polls and a 7-day one is not re-read for nothing. A late answer
 * for a range or queue no longer shown is dropped.
 */
export class TrendState {
  #range = $state.raw<ChartRangeKey>('1h');
  #view = $state.raw<HistoryView | null>(null);
  #recent = $state.raw<HistoryView | null>(null);
  #status = $state.raw<HistoryStatus>({ kind: 'loading' });
  #asked = '';
  #lastAt = 0;
  #info: HistoryInfo | null = null;
  #infoAsked = false;
  /** A person picked the range: it is never changed for them. */
  #chosen = false;

  get range(): ChartRangeKey {
    return this.#range;
  }

  get view(): HistoryView | null {
    return this.#view;
  }

  /** `waiting` of one namespace over the last {@link forecastSpanMs}, whatever the range, for the drain forecast. */
  recentWaitingOf(namespace: string): HistoryPoint[] {
    return this.#recent?.series.find((s) => s.namespace === namespace)?.points ?? [];
  }

  /** When the last answer was asked for (the end of its range): the forecast's "now". */
  get readAt(): number | null {
    return this.#recent?.toAt ?? null;
  }

  get status(): HistoryStatus {
    return this.#status;
  }

  setRange(range: ChartRangeKey): void {
    this.#chosen = true;
    if (range === this.#range) return;
    this.#range = range;
    this.#view = null;
    this.#lastAt = 0;
  }

  /** Reads the history for `target` if due (or if the target or range changed). */
  async refresh(api: Api, target: TrendTarget, now: number): Promise<void> {
    const history = historyApiOf(api);
    if (history === null) {
      this.#status = { kind: 'unavailable' };
      return;
    }
    if (this.#info === null) {
      if (this.#infoAsked) return;
      this.#infoAsked = true;
      try {
        this.#info = await history.getHistoryInfo({});
      } catch (reason) {
        this.#infoAsked = false;
        this.#status = { kind: 'failed', error: toApiError(reason) };
        return;
      }
      // A history younger than 15 minutes would be a sliver at the right of an hour: start at 15 min.
      const oldest = this.#info.oldestAt.raw;
      if (!this.#chosen && (oldest === null || oldest > now - chartRange('15m').spanMs)) this.#range = '15m';
    }
    if (!this.#info.enabled) {
      this.#status = { kind: 'disabled' };
      return;
    }
    const range = this.#range;
    const key = JSON.stringify([target.connection, target.framework, target.queue, range]);
    const dueEvery = Math.max(5_000, chartRange(range).spanMs / 60);
    if (key === this.#asked && now - this.#lastAt < dueEvery) return;
    if (key !== this.#asked) {
      this.#view = null;
      this.#recent = null;
      this.#status = { kind: 'loading' };
    }
    this.#asked = key;
    this.#lastAt = now;
    try {
      // The route's framework is only a string; the backend checks it against the contract's list.
      const framework = target.framework as Framework;
      const where = { connection: target.connection, framework, queue: target.queue };
      const [view, recent] = await Promise.all([
        history.getHistory({ ...where, figures: trendFigures, ...rangeWindow(range, now) }),
        history.getHistory({ ...where, figures: ['waiting'], fromAt: now - forecastSpanMs, toAt: now, maxPoints: 300 }),
      ]);
      if (key !== this.#asked) return;
      this.#view = view;
      this.#recent = recent;
      this.#status = { kind: 'ready' };
    } catch (reason) {
      if (key === this.#asked) this.#status = { kind: 'failed', error: toApiError(reason) };
    }
  }
}
