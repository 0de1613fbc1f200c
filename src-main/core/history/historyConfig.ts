import type { HistoryConfig, HistoryRetention } from '../../contract/history.js';
import { ConfigError } from '../config/configError.js';
import { retentionProblem } from './historyFigures.js';

const unitMs = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000, y: 365 * 86_400_000 } as const;
const members: Record<keyof HistoryConfig, keyof HistoryRetention> = {
  raw: 'rawMs', minute: 'minuteMs', hour: 'hourMs', failedTasks: 'failedTaskMs', tasks: 'taskMs',
};

/** A retention span written by a person ("24h", "30d", "1y") in ms. */
export function parseRetentionSpan(text: string, where: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w|y)$/.exec(text.trim());
  if (!m) throw new ConfigError('BAD_CONFIG', `${where}: "${text}" is not a duration like 24h, 30d or 1y`);
  return Math.round(Number(m[1]) * unitMs[m[2] as keyof typeof unitMs]);
}

/**
 * The `history` section of a config as retention overrides (only the members it sets); throws
 * BAD_CONFIG naming the member when one is not a duration, or when the spans together are
 * invalid (raw longer than the 1 min one, …) once the defaults fill the rest.
 */
export function retentionFromConfig(config: unknown, source: string, defaults: HistoryRetention): Partial<HistoryRetention> {
  if (config === undefined || config === null) return {};
  if (typeof config !== 'object' || Array.isArray(config)) throw new ConfigError('BAD_CONFIG', `${source}: history: expected an object like { raw: 24h, minute: 30d, hour: 1y }`);
  const out: Partial<HistoryRetention> = {};
  for (const [key, value] of Object.entries(config)) {
    const member = members[key as keyof HistoryConfig];
    if (!member) throw new ConfigError('BAD_CONFIG', `${source}: history.${key}: unknown setting (raw, minute, hour, failedTasks, tasks)`);
    if (typeof value !== 'string') throw new ConfigError('BAD_CONFIG', `${source}: history.${key}: expected a duration like "30d"`);
    out[member] = parseRetentionSpan(value, `${source}: history.${key}`);
  }
  const problem = retentionProblem({ ...defaults, ...out });
  if (problem) throw new ConfigError('BAD_CONFIG', `${source}: history: ${problem}`);
  return out;
}
