import type { Framework } from '../../contract/figures.js';

/** The queue whose failed tasks an automatic retry puts back. */
export interface RetryTarget {
  connection: string;
  framework: Framework;
  namespace?: string;
  queue: string;
}

/**
 * The write side of the opt-in automatic retry: the only write the product makes on its own
 * (ARCHITECTURE.md "read-only by default"). A framework it does not support is logged as
 * "not supported", never an error.
 */
export interface TaskRetrier {
  supports(framework: Framework): boolean;
  /** Retries at most `limit` failed tasks of the queue; the ids retried, and those that could not be (with why). */
  retryFailed(target: RetryTarget, limit: number): Promise<{ retried: string[]; failed?: string[] }>;
}

/** Retries nothing: every automatic retry logs "not supported for <framework>" (no Api at hand). */
export const noTaskRetrier: TaskRetrier = {
  supports: () => false,
  retryFailed: async () => ({ retried: [] }),
};
