import type { ProbeContext } from '../probe.js';
import { globEscape } from './celeryKeys.js';

const subQueueScanLimit = 10_000;

/**
 * Priority steps in use beyond kombu's defaults. kombu keeps each priority step of a queue in
 * its own list `<queue><sep><step>` (step 0 is the queue itself) and Flower sums them all
 * (flower/utils/broker.py); an app may set other `priority_steps` (e.g. 0..9), so the steps are
 * read from the keys that exist. A step seen on any queue is read on every queue: an empty list
 * does not exist, so a sub-queue that is empty at discovery must still be counted later.
 */
export async function findPrioritySteps(ctx: ProbeContext, prefix: string, sep: string, queues: readonly string[]): Promise<{ steps: number[]; notes: string[] }> {
  if (queues.length === 0) return { steps: [], notes: [] };
  const keys = await ctx.redis.scanKeys(`${globEscape(prefix)}*${globEscape(sep)}*`, { limit: subQueueScanLimit });
  const known = new Set(queues);
  const steps = new Set<number>();
  for (const key of keys) {
    if (!key.startsWith(prefix)) continue;
    const at = key.lastIndexOf(sep);
    if (at <= prefix.length) continue;
    const step = key.slice(at + sep.length);
    if (/^[0-9]+$/.test(step) && known.has(key.slice(prefix.length, at))) steps.add(Number(step));
  }
  steps.delete(0);
  const notes = keys.length >= subQueueScanLimit
    ? [`the search for priority sub-queues stopped after ${subQueueScanLimit} keys; steps other than 3, 6, 9 may be missed`]
    : [];
  return { steps: [...steps], notes };
}
