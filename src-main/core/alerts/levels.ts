import { levels, type Level } from '../../contract/alerts.js';

/** 0 for warning up to 3 for emergency: warning < error < critical < emergency. */
export function levelRank(level: Level): number {
  return levels.indexOf(level);
}

/** Negative when `a` is less severe than `b` (sorts least severe first). */
export function compareLevels(a: Level, b: Level): number {
  return levelRank(a) - levelRank(b);
}

/** The most severe of the levels given; `null` when there are none. */
export function worstLevel(all: Iterable<Level>): Level | null {
  let worst: Level | null = null;
  for (const level of all) if (worst === null || levelRank(level) > levelRank(worst)) worst = level;
  return worst;
}
