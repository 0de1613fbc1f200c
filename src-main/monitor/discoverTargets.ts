import { isApiError } from '../contract/errors.js';
import type { Framework } from '../contract/figures.js';
import { databasesFromInfo } from '../io/redis/keyspace.js';
import type { ProbeContext, ProbeNamespace, QueueProbe } from '../probes/probe.js';
import type { SessionDeps } from './connectionSession.js';
import { namespaceLabel, targetKey, type Target } from './targets.js';

export interface DiscoveryDeps extends SessionDeps {
  contextAt(framework: Framework, db: number, now: number): ProbeContext;
}

/**
 * Membership, on the slow cadence: which databases hold keys, which framework namespaces each
 * holds (when `redetect`), and each namespace's queues and workers. Existing targets keep their
 * event state, trends and samples; a framework newly found with events gets its subscription.
 * A missing permission degrades the connection instead of failing it.
 */
export async function discoverTargets(deps: DiscoveryDeps, existing: readonly Target[], now: number, redetect: boolean): Promise<{ targets: Target[]; degraded: string[] }> {
  const degraded: string[] = [];
  const byKey = new Map(existing.map((t) => [t.key, t]));
  const found: { probe: QueueProbe<unknown, unknown>; ns: ProbeNamespace }[] = [];
  if (redetect) {
    let dbs: number[];
    if (deps.connection.target.db !== null) dbs = [deps.connection.target.db];
    else {
      try {
        dbs = databasesFromInfo(await deps.server.info('keyspace'));
      } catch (error) {
        // A user without INFO still reads its queues: database 0, and the reason said.
        if (!isApiError(error) || error.code !== 'PERMISSION_DENIED') throw error;
        dbs = [0];
        degraded.push(`databases: ${error.detail}; only database 0 is read (name the database in the URL to read another)`);
      }
    }
    for (const db of dbs) {
      for (const probe of deps.probes) {
        if (deps.connection.frameworks[probe.framework]?.enabled === false) continue;
        try {
          for (const ns of await probe.detect(deps.contextAt(probe.framework, db, now))) found.push({ probe, ns });
        } catch (error) {
          if (!isApiError(error) || error.code !== 'PERMISSION_DENIED') throw error;
          degraded.push(`${probe.framework} db${db}: ${error.detail}`);
        }
      }
    }
  } else {
    found.push(...existing.map((t) => ({ probe: t.probe, ns: t.ns })));
  }
  const targets: Target[] = [];
  for (const { probe, ns } of found) {
    const key = targetKey(ns.framework, ns.db, ns.prefix);
    const target: Target = byKey.get(key) ?? {
      key, probe, ns, discovery: null, events: probe.events ? probe.events.initial(ns) : null,
      previous: null, samples: new Map(), sampledAt: null, trends: new Map(),
    };
    try {
      target.discovery = await probe.discover(deps.contextAt(ns.framework, ns.db, now), ns);
    } catch (error) {
      if (!isApiError(error) || error.code !== 'PERMISSION_DENIED') throw error;
      degraded.push(`${ns.framework} ${namespaceLabel(ns)}: ${error.detail}`);
      continue;
    }
    if (!byKey.has(key) && probe.events) {
      const source = probe.events;
      const state = target.events;
      await deps.server.subscribe(source.patterns(ns), (channel, message) => {
        source.fold(state, ns, channel, message, deps.clock.now());
      });
    }
    targets.push(target);
  }
  return { targets, degraded };
}
