import type { AlertState, Level } from '../../../src-main/contract/alerts.js';
import type { ConnectionStatus, WorkerInfo } from '../../../src-main/contract/figures.js';
import type { TaskState } from '../../../src-main/contract/task.js';
import type { LinkState } from '../api/linkState.js';

/**
 * Each status has a word and a shape, so it reads without colour; the tone only adds colour.
 * Records keyed by the contract's unions: a new status is a compile error until it has a mark.
 */
export interface Mark {
  shape: string;
  word: string;
  tone: 'good' | 'warn' | 'bad' | 'neutral' | 'error' | 'emergency';
}

export const connectionMarks: Record<ConnectionStatus, Mark> = {
  ok: { shape: '✓', word: 'ok', tone: 'good' },
  degraded: { shape: '▲', word: 'degraded', tone: 'warn' },
  unreachable: { shape: '✕', word: 'unreachable', tone: 'bad' },
  unauthorized: { shape: '⊘', word: 'unauthorized', tone: 'bad' },
};

export const workerStateMarks: Record<WorkerInfo['state'], Mark> = {
  online: { shape: '●', word: 'online', tone: 'good' },
  offline: { shape: '○', word: 'offline', tone: 'bad' },
};

const unknownBusy: Mark = { shape: '?', word: 'unknown', tone: 'neutral' };

/**
 * Busy or idle, as far as can be told: an offline worker's last data may still say busy, but
 * whether it runs anything now cannot be known, so it is never shown as busy.
 */
export function busyMark(worker: Pick<WorkerInfo, 'state' | 'busy'>): Mark {
  if (worker.state === 'offline' || worker.busy === null) return unknownBusy;
  return worker.busy ? { shape: '▶', word: 'busy', tone: 'warn' } : { shape: '■', word: 'idle', tone: 'neutral' };
}

/** A connection whose first poll has not ended: nothing is known of it yet. */
export const firstPollMark: Mark = { shape: '◌', word: 'connecting', tone: 'neutral' };

/** Figures from the last good poll of a connection that cannot be read now. */
export const lastKnownMark: Mark = { shape: '◷', word: 'last known', tone: 'warn' };

export const taskStateMarks: Record<TaskState, Mark> = {
  waiting: { shape: '…', word: 'waiting', tone: 'neutral' },
  scheduled: { shape: '◷', word: 'scheduled', tone: 'neutral' },
  reserved: { shape: '◐', word: 'reserved', tone: 'neutral' },
  running: { shape: '▶', word: 'running', tone: 'warn' },
  succeeded: { shape: '✓', word: 'succeeded', tone: 'good' },
  failed: { shape: '✕', word: 'failed', tone: 'bad' },
  retrying: { shape: '↻', word: 'retrying', tone: 'warn' },
  dead: { shape: '⊘', word: 'dead', tone: 'bad' },
  unknown: { shape: '?', word: 'unknown', tone: 'neutral' },
};

export const linkMarks: Record<LinkState, Mark> = {
  connecting: { shape: '◌', word: 'connecting', tone: 'neutral' },
  live: { shape: '●', word: 'live', tone: 'good' },
  reconnecting: { shape: '↻', word: 'reconnecting (figures may be stale)', tone: 'warn' },
};

/** Alert levels as the tray shows them: yellow, orange, red, black; each with its own shape. */
export const levelMarks: Record<Level, Mark> = {
  warning: { shape: '▲', word: 'warning', tone: 'warn' },
  error: { shape: '◆', word: 'error', tone: 'error' },
  critical: { shape: '✖', word: 'critical', tone: 'bad' },
  emergency: { shape: '‼', word: 'emergency', tone: 'emergency' },
};

/** A queue with no alert firing (alerts evaluated). */
export const queueOkMark: Mark = { shape: '✓', word: 'ok', tone: 'good' };

export const alertStateMarks: Record<AlertState, Mark> = {
  inactive: { shape: '○', word: 'inactive', tone: 'neutral' },
  pending: { shape: '◔', word: 'pending', tone: 'neutral' },
  firing: { shape: '●', word: 'firing', tone: 'bad' },
  resolved: { shape: '✓', word: 'resolved', tone: 'good' },
};
