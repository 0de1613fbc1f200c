import type { ConnectionView } from '../contract/dashboard.js';
import type { ApiError } from '../contract/errors.js';
import type { TaskDetail } from '../contract/task.js';
import { isApiError, toApiError } from '../contract/errors.js';
import type { Framework, QueueFigures, WorkerInfo } from '../contract/figures.js';
import type { ProbeReading } from '../contract/snapshot.js';
import type { ResolvedRedisConnection } from '../core/config/resolveConnections.js';
import { computeQueueFigures } from '../core/metrics/queueFigures.js';
import type { Clock } from '../io/clock.js';
import { InfoRider, redisBrokerFigures, type BrokerMemo } from '../io/redis/brokerInfo.js';
import type { RedisServerConnection } from '../io/redis/redisReader.js';
import type { ProbeContext, ProbeTaskPage, QueueProbe } from '../probes/probe.js';
import type { TaskActionRequest, TaskListQuery } from '../contract/taskList.js';
import type { RedisWriterFactory } from '../io/writes/redisWriter.js';
import { discoverTargets, type DiscoveryDeps } from './discoverTargets.js';
import type { MonitorSession } from './monitorSession.js';
import { namespaceLabel, pushTrend, type Target } from './targets.js';

export interface SessionOptions {
  /** Window of rates and latencies where timestamps exist (10 minutes). */
  rateWindowMs: number;
  /** How often membership (queues, workers) is read again. */
  discoveryIntervalMs: number;
  /** How often databases and framework namespaces are detected again (may SCAN). */
  detectIntervalMs: number;
  /** How often bounded samples of finished tasks are read; 0 = every poll. */
  sampleIntervalMs: number;
  /** Minimum finished tasks before a success ratio is given. */
  minFinished: number;
}

export interface SessionDeps {
  connection: ResolvedRedisConnection;
  probes: readonly QueueProbe<unknown, unknown>[];
  server: RedisServerConnection;
  /** The Celery result backend's server, when it is not the broker's own. */
  resultBackend?: { server: RedisServerConnection; db: number };
  clock: Clock;
  options: SessionOptions;
}

/**
 * The single owner of one connection's live state: its targets, their event state, trends and
 * samples. `poll()` never overlaps itself: a second call joins the poll in flight.
 */
export class ConnectionSession implements MonitorSession {
  /** A Redis connection is always shown (only the optional RabbitMQ default waits to be read). */
  readonly isShown = true;
  #targets: Target[] = [];
  #discoveredAt: number | null = null;
  #detectedAt: number | null = null;
  #rediscover = false;
  #discoveryDegraded: string[] = [];
  #inflight: Promise<ConnectionView> | null = null;
  #brokerMemo: BrokerMemo | null = null;
  #view: ConnectionView;

  constructor(readonly deps: SessionDeps) {
    const { connection } = deps;
    this.#view = {
      id: connection.id, url: connection.url, status: 'ok', statusReason: null, frameworks: [], queues: [], workers: [],
      takenAt: null, lastGoodPollAt: null, pollDurationMs: null, commandsPerPoll: null, roundTripsPerPoll: null,
    };
  }

  get view(): ConnectionView {
    return this.#view;
  }

  get targets(): readonly Target[] {
    return this.#targets;
  }

  /** Asks every probe that can look tasks up (after a first poll), collecting matches and failures. */
  async findTask(id: string, filter: { framework?: Framework }): Promise<{ found: TaskDetail[]; failures: ApiError[] }> {
    const found: TaskDetail[] = [];
    const failures: ApiError[] = [];
    if (this.#view.lastGoodPollAt === null) await this.poll();
    const now = this.deps.clock.now();
    for (const target of this.#targets) {
      if (!target.probe.getTask || (filter.framework && target.ns.framework !== filter.framework)) continue;
      try {
        const task = await target.probe.getTask(this.contextAt(target.ns.framework, target.ns.db, now), target.ns, id, target.events);
        if (task) found.push(task);
      } catch (error) {
        failures.push(toApiError(error, this.#view.id));
      }
    }
    if (this.#view.statusReason && this.#view.status !== 'ok' && this.#view.status !== 'degraded') failures.push(this.#view.statusReason);
    return { found, failures };
  }

  /**
   * One page of a queue's tasks in one state, from the first namespace that has the queue (or
   * the one named); `null` when none has it. Reads only.
   */
  async listTasks(query: TaskListQuery): Promise<ProbeTaskPage | null> {
    if (this.#view.lastGoodPollAt === null) await this.poll();
    if (this.#view.statusReason && this.#view.status !== 'ok' && this.#view.status !== 'degraded') throw this.#view.statusReason;
    if (!this.#knows(query)) await this.#rediscoverNow();
    const now = this.deps.clock.now();
    for (const target of this.#targetsFor(query)) {
      if (!target.probe.listTasks) continue;
      const page = await target.probe.listTasks(this.contextAt(target.ns.framework, target.ns.db, now), target.ns, target.discovery, target.events, query);
      if (page) return page;
    }
    return null;
  }

  /** Whether the last poll showed this queue (discovery runs on a slow cadence). */
  #knows(query: { framework: Framework; queue: string; namespace?: string }): boolean {
    return this.#view.queues.some((q) => q.framework === query.framework && q.queue === query.queue && (!query.namespace || q.namespace === query.namespace));
  }

  /** A queue asked for by name and not known yet: discover again now rather than at the next cadence. */
  async #rediscoverNow(): Promise<void> {
    await this.#inflight;
    this.#rediscover = true;
    await this.poll();
  }

  /**
   * A write action through a writer opened for it (the session's own connections stay
   * read-only); `null` when no namespace has the queue or its probe has no actions.
   */
  async runAction(request: TaskActionRequest, openWriter: RedisWriterFactory): Promise<{ done: string; affectedCount: number } | null> {
    if (this.#view.lastGoodPollAt === null) await this.poll();
    if (!this.#knows(request)) await this.#rediscoverNow();
    const now = this.deps.clock.now();
    const target = this.#targetsFor(request).find((t) => t.probe.runAction
      && this.#view.queues.some((q) => q.framework === t.ns.framework && q.queue === request.queue && q.namespace === namespaceLabel(t.ns)));
    if (!target?.probe.runAction) return null;
    const writer = openWriter(target.ns.db);
    try {
      return await target.probe.runAction({ ...this.contextAt(target.ns.framework, target.ns.db, now), writer }, target.ns, target.discovery, request);
    } finally {
      await writer.close();
    }
  }

  #targetsFor(query: { framework: Framework; namespace?: string }): Target[] {
    return this.#targets.filter((t) => t.ns.framework === query.framework && (!query.namespace || namespaceLabel(t.ns) === query.namespace));
  }

  poll(): Promise<ConnectionView> {
    this.#inflight ??= this.#pollOnce().finally(() => {
      this.#inflight = null;
    });
    return this.#inflight;
  }

  /** The probe context for a framework in a database at a given time (also for task lookups). */
  contextAt(framework: Framework, db: number, now: number): ProbeContext {
    const { server, resultBackend, connection, options } = this.deps;
    return {
      connectionId: connection.id,
      redis: server.reader(db),
      now,
      rateWindowMs: options.rateWindowMs,
      config: connection.frameworks[framework] ?? {},
      ...(framework === 'celery' && resultBackend ? { resultBackend: resultBackend.server.reader(resultBackend.db) } : {}),
    };
  }

  async #pollOnce(): Promise<ConnectionView> {
    const { clock, server, options } = this.deps;
    const startedAt = clock.now();
    const before = { ...server.traffic };
    const degraded: string[] = [];
    try {
      if (this.#discoveredAt === null || this.#rediscover || startedAt - this.#discoveredAt >= options.discoveryIntervalMs) {
        // Detection (which frameworks and prefixes) may SCAN, so it runs on a slower cadence still.
        const redetect = this.#detectedAt === null || this.#rediscover || startedAt - this.#detectedAt >= options.detectIntervalMs;
        const discoveryDeps: DiscoveryDeps = { ...this.deps, contextAt: (fw, db, now) => this.contextAt(fw, db, now) };
        const found = await discoverTargets(discoveryDeps, this.#targets, startedAt, redetect);
        this.#targets = found.targets;
        this.#discoveryDegraded = found.degraded;
        this.#discoveredAt = startedAt;
        if (redetect) this.#detectedAt = startedAt;
        this.#rediscover = false;
      }
      degraded.push(...this.#discoveryDegraded);
      // INFO (broker figures) rides in the first probe batch of the poll; with nothing to probe it is
      // sent alone, so a dead broker is never shown as ok.
      const rider = new InfoRider();
      const results = await Promise.all(this.#targets.map((t) => this.#pollTarget(t, startedAt, rider)));
      const infoReply = await rider.reply(server.reader(this.deps.connection.target.db ?? 0));
      const broker = redisBrokerFigures(infoReply, startedAt, this.#brokerMemo, this.#view.id);
      this.#brokerMemo = broker.memo ?? this.#brokerMemo;
      if (infoReply instanceof Error) degraded.push(`broker figures: ${broker.figures.notes.usedMemoryBytes ?? infoReply.message}`);
      const queues: QueueFigures[] = [];
      const workers: WorkerInfo[] = [];
      for (const [i, result] of results.entries()) {
        const target = this.#targets[i]!;
        if ('error' in result) {
          degraded.push(`${target.ns.framework} ${namespaceLabel(target.ns)}: ${result.error.detail}`);
          continue;
        }
        const reading = result.reading;
        if (reading.degraded) degraded.push(`${target.ns.framework} ${namespaceLabel(target.ns)}: ${reading.degraded}`);
        if (reading.membershipChanged) this.#rediscover = true;
        queues.push(...this.#figures(target, reading));
        workers.push(...(reading.workers ?? []));
      }
      const frameworks = [...new Set(this.#targets.map((t) => t.ns.framework))] as Framework[];
      this.#view = {
        ...this.#view,
        status: degraded.length ? 'degraded' : 'ok',
        statusReason: degraded.length ? { code: 'PERMISSION_DENIED', detail: degraded.join('; '), connection: this.#view.id } : null,
        frameworks,
        queues,
        workers,
        takenAt: startedAt,
        lastGoodPollAt: startedAt,
        broker: broker.figures,
      };
    } catch (error) {
      const reason: ApiError = toApiError(error, this.#view.id);
      this.#view = { ...this.#view, status: reason.code === 'AUTH_FAILED' ? 'unauthorized' : 'unreachable', statusReason: reason };
      // Rediscover once the broker is back: it may have been restarted empty or with other data.
      this.#rediscover = true;
    }
    this.#view = {
      ...this.#view,
      pollDurationMs: clock.now() - startedAt,
      commandsPerPoll: server.traffic.commands - before.commands,
      roundTripsPerPoll: server.traffic.roundTrips - before.roundTrips,
    };
    return this.#view;
  }

  async #pollTarget(target: Target, now: number, rider: InfoRider): Promise<{ reading: ProbeReading } | { error: ApiError }> {
    const { probe } = target;
    const ctx = this.contextAt(target.ns.framework, target.ns.db, now);
    try {
      if (probe.events) probe.events.prune(target.events, now);
      const reading = await probe.poll({ ...ctx, redis: rider.wrap(ctx.redis) }, target.ns, target.discovery, target.events, target.previous);
      target.previous = reading;
      const sampleDue = target.sampledAt === null || now - target.sampledAt >= this.deps.options.sampleIntervalMs;
      if (probe.sample && sampleDue) {
        const samples = await probe.sample(ctx, target.ns, target.discovery);
        target.samples = new Map(samples.map((s) => [s.queue, s]));
        target.sampledAt = now;
      }
      return { reading };
    } catch (error) {
      if (isApiError(error) && error.code === 'PERMISSION_DENIED') return { error };
      throw error;
    }
  }

  #figures(target: Target, reading: ProbeReading): QueueFigures[] {
    const { connection, options } = this.deps;
    return reading.queues.map((q) => {
      const trend = q.waiting === null ? [] : pushTrend(target.trends, q.queue, { at: reading.takenAt, waiting: q.waiting }, options.rateWindowMs);
      return computeQueueFigures({
        connection: connection.id,
        framework: target.ns.framework,
        namespace: namespaceLabel(target.ns),
        takenAt: reading.takenAt,
        reading: q,
        sample: target.samples.get(q.queue),
        trend,
        minFinished: options.minFinished,
      });
    });
  }
}
