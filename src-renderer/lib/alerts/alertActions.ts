import type { ApiError } from '../../../src-main/contract/errors.js';

/** What a person can do to a firing alert; each resolves with the coded error when refused. */
export interface AlertActions {
  acknowledge(key: string): Promise<ApiError | null>;
  snooze(key: string, forMs: number): Promise<ApiError | null>;
}
