import type { Undecodable } from '../../../src-main/contract/task.js';

export function isUndecodable(value: unknown): value is Undecodable {
  return typeof value === 'object' && value !== null && (value as Undecodable).undecodable === true;
}

/** `undecodable (312 bytes): a pickle of class app.Point` */
export function formatUndecodable(value: Undecodable): string {
  return `undecodable (${value.bytes} bytes): ${value.reason}`;
}

/** Decoded data as readable JSON; a string from the broker is shown as it is. */
export function formatData(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 2) ?? String(value);
}
