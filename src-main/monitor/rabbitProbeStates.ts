import { isApiError, toApiError, type ApiError } from '../contract/errors.js';
import type { Framework, WorkerInfo } from '../contract/figures.js';
import type { TaskDetail } from '../contract/task.js';
import type { ResolvedRabbitConnection } from '../core/config/resolveConnections.js';
import type { Clock } from '../io/clock.js';
import type { AmqpEventListener, RabbitTopology, RabbitTopologyReader } from '../io/rabbitmq/celeryEventsTypes.js';
import type { RedisReader } from '../io/redis/redisReader.js';
import type { RabbitProbe, RabbitProbeContext, RabbitProbeReading, RabbitProbeState } from '../probes/rabbitProbe.js';

export interface RabbitProbeStatesDeps {
  connection: ResolvedRabbitConnection;
  probes: readonly RabbitProbe[];
  clock: Clock;
  /** The vhost's topology (management API), for probes that discover; absent = never read. */
  topology?: RabbitTopologyReader;
  /** The one event subscription of this vhost, for the first probe with events; absent = none. */
  listener?: AmqpEventListener;
  /** Celery's Redis result backend (`--celery-backend`). */
  resultBackend?: RedisReader;
  rateWindowMs: number;
  discoveryIntervalMs: number;
}

interface Entry extends RabbitProbeState<unknown, unknown> {
  /** Whether the listener was listening at the last poll (a gap means events were missed). */
  wasListening: boolean;
  /** When listening last failed: tried again on the discovery cadence, not on every poll. */
  failedAt: number | null;
}

/**
 * What a RabbitMQ session keeps for its probes between polls, beside the queue listing: each
 * probe's discovery (from the vhost's topology, on the discovery cadence) and folded events
 * (from the one AMQP subscription). Only the owning session calls it, one poll at a time; the
 * subscription's callback only folds (STYLE.md habit 6).
 */
export class RabbitProbeStates {
  readonly #entries = new Map<RabbitProbe, Entry>();
  #discoveredAt: number | null = null;
  #isClosed = false;

  constructor(readonly deps: RabbitProbeStatesDeps) {
    for (const probe of deps.probes) {
      if (probe.discover || probe.events) {
        this.#entries.set(probe, { discovery: null, events: probe.events ? probe.events.initial() : null, eventsWhy: null, wasListening: false, failedAt: null });
      }
    }
  }

  /** The extra context fields probes get (rate window, result backend). */
  contextExtras(framework: Framework): Pick<RabbitProbeContext, 'rateWindowMs' | 'resultBackend'> {
    return { rateWindowMs: this.deps.rateWindowMs, ...(framework === 'celery' && this.deps.resultBackend ? { resultBackend: this.deps.resultBackend } : {}) };
  }

  stateOf(probe: RabbitProbe): RabbitProbeState<unknown, unknown> | undefined {
    return this.#entries.get(probe);
  }

  /**
   * Once per poll, before the probes read: the topology on the discovery cadence (one round trip
   * of three GETs, only with the management API), then each listener started or checked, and the
   * event states pruned. A listener that was down and is back starts a fresh state: the events
   * sent meanwhile are lost, and figures over the gap would be wrong.
   */
  async refresh(now: number, source: 'management' | 'amqp', ctxOf: (probe: RabbitProbe) => RabbitProbeContext): Promise<{ roundTrips: number; requests: number; degraded: string[] }> {
    const degraded: string[] = [];
    let roundTrips = 0;
    let requests = 0;
    if (this.#entries.size === 0 || this.#isClosed) return { roundTrips, requests, degraded };
    const { topology: reader, listener, discoveryIntervalMs, vhost } = { ...this.deps, vhost: this.deps.connection.target.vhost };
    if (this.#discoveredAt === null || now - this.#discoveredAt >= discoveryIntervalMs) {
      let topology: RabbitTopology | null = null;
      if (reader && source === 'management' && [...this.#entries.keys()].some((p) => p.discover)) {
        roundTrips++;
        const before = reader.traffic.requests;
        try {
          topology = await reader.readTopology(vhost);
        } catch (error) {
          if (!isApiError(error)) throw error;
          degraded.push(`vhost topology unreadable (${error.detail}): Celery's queues are those named in the config or heard in events`);
        }
        requests += reader.traffic.requests - before;
      }
      for (const [probe, entry] of this.#entries) {
        if (probe.discover) entry.discovery = probe.discover(ctxOf(probe), topology, entry.discovery, entry.events);
      }
      this.#discoveredAt = now;
    }
    let listenerTaken = false;
    for (const [probe, entry] of this.#entries) {
      const source = probe.events;
      if (!source) continue;
      const ctx = ctxOf(probe);
      const binding = source.binding(ctx, entry.discovery);
      if (!binding || !listener || listenerTaken) {
        entry.eventsWhy = ctx.config.events === false
          ? `listening to ${probe.framework} events is switched off in the config (frameworks.${probe.framework}.events: false)`
          : !listener ? `${probe.framework} events cannot be listened to here` : `${probe.framework} not found on this vhost`;
        continue;
      }
      listenerTaken = true;
      const retryDue = entry.failedAt === null || now - entry.failedAt >= discoveryIntervalMs;
      if (!listener.status.isListening && retryDue) {
        const before = listener.traffic;
        const was = { requests: before.requests, roundTrips: before.roundTrips };
        const state = entry.wasListening || entry.events === null ? source.initial() : entry.events;
        entry.events = state;
        await listener.listen(binding, (message) => source.fold(state, message, this.deps.clock.now()));
        roundTrips += listener.traffic.roundTrips - was.roundTrips;
        requests += listener.traffic.requests - was.requests;
      }
      const status = listener.status;
      if (!status.isListening && retryDue) entry.failedAt = now;
      else if (status.isListening) entry.failedAt = null;
      entry.wasListening = status.isListening;
      entry.eventsWhy = status.isListening ? null : `not listening to ${probe.framework} events: ${status.error?.detail ?? 'not started'}`;
      if (entry.events !== null) source.prune(entry.events, now);
    }
    return { roundTrips, requests, degraded };
  }

  /** A task by id from every probe that can look tasks up. */
  async findTask(id: string, filter: { framework?: Framework }, ctxOf: (probe: RabbitProbe) => RabbitProbeContext): Promise<{ found: TaskDetail[]; failures: ApiError[] }> {
    const found: TaskDetail[] = [];
    const failures: ApiError[] = [];
    for (const [probe, entry] of this.#entries) {
      if (!probe.getTask || (filter.framework && probe.framework !== filter.framework)) continue;
      try {
        const task = await probe.getTask(ctxOf(probe), id, entry);
        if (task) found.push(task);
      } catch (error) {
        failures.push(toApiError(error));
      }
    }
    return { found, failures };
  }

  /** Workers the probes listed in this poll's readings. */
  static workersOf(readings: readonly RabbitProbeReading[]): WorkerInfo[] {
    return readings.flatMap((r) => r.workers ?? []);
  }

  async close(): Promise<void> {
    this.#isClosed = true;
    await Promise.all([this.deps.listener?.close(), this.deps.topology?.close()]);
  }
}
