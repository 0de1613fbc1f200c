import type { QueueProbe } from './probe.js';

/**
 * Every framework task-status can watch, one row each (STYLE.md habit 7). Adding a framework is
 * adding its folder and a row here; nothing else changes. Order is the display order.
 */
export const probeRegistry: readonly QueueProbe<unknown, unknown>[] = [
];
