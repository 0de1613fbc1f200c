import type { ErrorCode } from '../../contract/errors.js';

/** A configuration or usage problem, carried as a code plus a plain detail. */
export class ConfigError extends Error {
  constructor(readonly code: ErrorCode, readonly detail: string, readonly connection?: string) {
    super(detail);
    this.name = 'ConfigError';
  }
}
