import type { ProbeContext, ProbeNamespace } from '../probe.js';
import { sidekiqKeys } from './sidekiqKeys.js';
import { BatchPlan, asTexts, isNoPerm } from './sidekiqReplies.js';
import { parseProcessInfo } from './sidekiqProcesses.js';

/** Membership of one Sidekiq namespace, refreshed on the slow cadence and reused by every poll. */
export interface SidekiqDiscovery {
  /** Queue names, sorted: the `queues` set plus those a registered process listens on. */
  queues: string[];
  /** How many members `queues` had: a poll's SCARD that differs means a new queue. */
  registeredQueueCount: number;
  /** Process identities of the `processes` set, sorted (stale ones included: liveness is per poll). */
  processes: string[];
  /** Queues each process listens on, from its `info` at discovery. */
  queuesOf: Record<string, string[]>;
  /** Set when membership could not be read (a missing permission). */
  degraded?: string;
}

/** Two small batches: the two sets, then each process's `info` for the queues it listens on. */
export async function discoverSidekiq(ctx: ProbeContext, ns: ProbeNamespace): Promise<SidekiqDiscovery> {
  const keys = sidekiqKeys(ns.prefix);
  const [queuesReply, processesReply] = await ctx.redis.batch([
    { cmd: 'SMEMBERS', args: [keys.queues] },
    { cmd: 'SMEMBERS', args: [keys.processes] },
  ]);
  const registered = (asTexts(queuesReply) ?? []).filter((q): q is string => Boolean(q));
  const processes = (asTexts(processesReply) ?? []).filter((p): p is string => Boolean(p)).sort();
  const plan = new BatchPlan();
  for (const p of processes) plan.add('HGET', keys.process(p), 'info');
  const infos = plan.commands.length ? await ctx.redis.batch(plan.commands) : [];
  const queuesOf: Record<string, string[]> = {};
  infos.forEach((reply, i) => { const q = parseProcessInfo(reply)?.queues; if (q) queuesOf[processes[i]!] = q; });
  const listened = Object.values(queuesOf).flat();
  const discovery: SidekiqDiscovery = {
    queues: [...new Set([...registered, ...listened])].sort(),
    registeredQueueCount: registered.length,
    processes,
    queuesOf,
  };
  if (isNoPerm(queuesReply) || isNoPerm(processesReply)) {
    discovery.degraded = `Sidekiq discovery: the user may not read ${keys.queues} or ${keys.processes} (NOPERM)`;
  }
  return discovery;
}
