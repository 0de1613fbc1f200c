import type { ApiError } from '../../../src-main/contract/errors.js';

/**
 * Where a history read stands, for the words the page shows instead of a chart:
 * `unavailable` this backend has no history calls; `disabled` it has them but records nothing; `loading`; `ready`; `failed` with the coded error.
 */
export type HistoryStatus =
  | { kind: 'unavailable' }
  | { kind: 'disabled' }
  | { kind: 'loading' }
  | { kind: 'ready' }
  | { kind: 'failed'; error: ApiError };

export function historyStatusText(status: HistoryStatus): string {
  switch (status.kind) {
    case 'unavailable': return 'History is not available from this backend yet: trends appear once it records them.';
    case 'disabled': return 'History is off here: this backend records no trends.';
    case 'loading': return 'Loading history…';
    case 'ready': return '';
    case 'failed': return `History could not be read: ${status.error.detail}`;
  }
}
