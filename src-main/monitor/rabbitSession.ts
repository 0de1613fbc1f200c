import type { ConnectionView, RabbitBrokerFigures } from '../contract/dashboard.js';
import { isApiError, toApiError, type ApiError } from '../contract/errors.js';
import type { Framework, QueueFigures, WorkerInfo } from '../contract/figures.js';
import type { TaskDetail } from '../contract/task.js';
import type { ResolvedRabbitConnection } from '../core/config/resolveConnections.js';
import type { WaitingPoint } from '../core/metrics/drainEta.js';
import { computeQueueFigures } from '../core/metrics/queueFigures.js';
import type { Clock } from '../io/clock.js';
import { rabbitBrokerFigures } from '../io/rabbitmq/brokerFigures.js';
import type { AmqpQueueCheck, AmqpQueueChecker, RabbitManagementReader, RabbitOverview, RabbitQueueStats } from '../io/rabbitmq/rabbitTypes.js';
import type { RabbitProbe, RabbitProbeContext } from '../probes/rabbitProbe.js';
import type { SessionOptions } from './connectionSession.js';
import type { MonitorSession } from './monitorSession.js';
import type { RabbitProbeStates } from './rabbitProbeStates.js';
import { pushTrend } from './targets.js';

export interface RabbitSessionDeps {
  connection: ResolvedRabbitConnection;
  management: RabbitManagementReader;
  amqp: AmqpQueueChecker;
  probes: readonly RabbitProbe[];
  clock: Clock;
  options: SessionOptions;
  /** Discovery and events of the probes that have them (Celery); absent = plain queues only. */
  probeStates?: RabbitProbeStates;
}

/** What one poll read, before the probes. */
interface VhostRead {
  queues: RabbitQueueStats[];
  source: 'management' | 'amqp';
  broker: RabbitBrokerFigures;
  /** Why some figures are missing (the first cause's code becomes the degraded status's code). */
  degraded: ApiError[];
  roundTrips: number;
}

/**
 * The single owner of one RabbitMQ connection's live state, beside ConnectionSession (Redis).
 * A poll reads the vhost's queues (one paginated listing) and the nodes side by side in one
 * round trip, the overview on the discovery cadence; when the management API cannot be reached
 * it falls back to AMQP passive declares of the configured queues and says the connection is
 * degraded (partial figures). `poll()` never overlaps itself: a second call joins the first.
 */
export class RabbitConnectionSession implements MonitorSession {
  #view: ConnectionView;
  #inflight: Promise<ConnectionView> | null = null;
  #overview: { at: number; value: RabbitOverview | string } | null = null;
  /** The management API's last failure: AMQP alone is used until the discovery cadence tries the API again. */
  #managementDown: { at: number; error: ApiError } | null = null;
  readonly #trends = new Map<string, WaitingPoint[]>();
  #hasAnswered = false;
  #workers: WorkerInfo[] = [];

  constructor(readonly deps: RabbitSessionDeps) {
    const { connection } = deps;
    this.#view = {
      id: connection.id, url: connection.url, status: 'ok', statusReason: null, frameworks: [], queues: [], workers: [],
      takenAt: null, lastGoodPollAt: null, pollDurationMs: null, commandsPerPoll: null, roundTripsPerPoll: null,
    };
  }

  get view(): ConnectionView {
    return this.#view;
  }

  get isShown(): boolean {
    return !this.deps.connection.isOptional || this.#hasAnswered;
  }

  poll(): Promise<ConnectionView> {
    this.#inflight ??= this.#pollOnce().finally(() => {
      this.#inflight = null;
    });
    return this.#inflight;
  }

  /** Plain AMQP queues carry no task ids a monitor could look up; Celery's events (and backend) do. */
  async findTask(id: string, filter: { framework?: Framework }): Promise<{ found: TaskDetail[]; failures: ApiError[] }> {
    if (this.#view.lastGoodPollAt === null) await this.poll();
    const failures = this.isShown && this.#view.statusReason && (this.#view.status === 'unreachable' || this.#view.status === 'unauthorized')
      ? [this.#view.statusReason] : [];
    const fromProbes = await this.deps.probeStates?.findTask(id, filter, (p) => this.#ctxOf(p, this.deps.clock.now(), 'management'));
    return { found: fromProbes?.found ?? [], failures: [...failures, ...(fromProbes?.failures ?? []).map((f) => ({ ...f, connection: this.#view.id }))] };
  }

  async #pollOnce(): Promise<ConnectionView> {
    const { clock, management, amqp } = this.deps;
    const startedAt = clock.now();
    const before = management.traffic.requests + amqp.traffic.requests;
    let roundTrips = 0;
    let extraRequests = 0;
    try {
      const read = await this.#read(startedAt);
      roundTrips = read.roundTrips;
      const extra = await this.deps.probeStates?.refresh(startedAt, read.source, (p) => this.#ctxOf(p, startedAt, read.source));
      if (extra) {
        roundTrips += extra.roundTrips;
        extraRequests = extra.requests;
        read.degraded.push(...extra.degraded.map((detail) => ({ code: 'PERMISSION_DENIED' as const, detail })));
      }
      const queues = this.#figures(read, startedAt);
      this.#hasAnswered = true;
      this.#view = {
        ...this.#view,
        status: read.degraded.length ? 'degraded' : 'ok',
        statusReason: read.degraded.length
          ? { code: read.degraded[0]!.code, detail: read.degraded.map((d) => d.detail).join('; '), connection: this.#view.id } : null,
        frameworks: [...new Set(queues.map((q) => q.framework))],
        queues,
        workers: this.#workers,
        takenAt: startedAt,
        lastGoodPollAt: startedAt,
        broker: read.broker,
      };
    } catch (error) {
      const reason: ApiError = toApiError(error, this.#view.id);
      this.#view = { ...this.#view, status: reason.code === 'AUTH_FAILED' ? 'unauthorized' : 'unreachable', statusReason: reason };
      // Read the overview again once the broker is back (it may be another version, stats may differ).
      this.#overview = null;
    }
    this.#view = {
      ...this.#view,
      pollDurationMs: clock.now() - startedAt,
      commandsPerPoll: management.traffic.requests + amqp.traffic.requests - before + extraRequests,
      roundTripsPerPoll: roundTrips,
    };
    return this.#view;
  }

  /**
   * The vhost through the management API, else through AMQP. Any failure of the API (plugin off,
   * wrong port, TLS, a user without the management tag, a timeout) falls back to AMQP, which is
   * then used alone until the discovery cadence tries the API again; throws when neither can be read.
   */
  async #read(now: number): Promise<VhostRead> {
    const { connection, management, options } = this.deps;
    const retryApi = (at: number) => now - at >= options.discoveryIntervalMs;
    if (this.#managementDown && !retryApi(this.#managementDown.at)) return this.#readOverAmqp(now, this.#managementDown.error, 0);
    let roundTrips = 0;
    if (this.#overview === null || retryApi(this.#overview.at)) {
      // On the slow cadence: the version, and whether statistics are off (then counts need another query).
      roundTrips++;
      try {
        this.#overview = { at: now, value: await management.overview() };
      } catch (error) {
        if (!isApiError(error)) throw error;
        return this.#managementFailed(now, error, roundTrips);
      }
    }
    const statsDisabled = typeof this.#overview.value !== 'string' && this.#overview.value.isStatsDisabled;
    roundTrips++;
    const [listing, nodes] = await Promise.all([
      management.listQueues(connection.target.vhost, { statsDisabled }).catch((e: unknown) => ({ failed: e })),
      management.nodes().catch((e: unknown) => ({ failed: e })),
    ]);
    if ('failed' in listing) {
      if (!isApiError(listing.failed)) throw listing.failed;
      return this.#managementFailed(now, listing.failed, roundTrips);
    }
    this.#managementDown = null;
    // Pages after the first go side by side, in one more round trip.
    if (listing.pages > 1) roundTrips++;
    const degraded: ApiError[] = [];
    let nodeRead: Parameters<typeof rabbitBrokerFigures>[2];
    if ('failed' in nodes) {
      if (!isApiError(nodes.failed)) throw nodes.failed;
      nodeRead = `node figures unreadable: ${nodes.failed.detail}`;
      degraded.push({ code: nodes.failed.code, detail: nodeRead });
    } else nodeRead = nodes;
    if (statsDisabled) degraded.push({ code: 'PERMISSION_DENIED', detail: 'RabbitMQ\'s statistics collector is off (management.disable_stats): consumers and rates are unknown' });
    return { queues: listing.queues, source: 'management', degraded, broker: rabbitBrokerFigures(now, this.#overview.value, nodeRead), roundTrips };
  }

  async #managementFailed(now: number, error: ApiError, roundTrips: number): Promise<VhostRead> {
    this.#managementDown = { at: now, error };
    // Read the overview again once the API is back (the plugin may have been enabled, stats may differ).
    this.#overview = null;
    return this.#readOverAmqp(now, error, roundTrips);
  }

  async #readOverAmqp(now: number, why: ApiError, roundTripsSoFar: number): Promise<VhostRead> {
    const { connection, amqp } = this.deps;
    const before = amqp.traffic.roundTrips;
    let checks: AmqpQueueCheck[];
    try {
      await amqp.connect();
      checks = await amqp.checkQueues(connection.queues);
    } catch (error) {
      if (!isApiError(error)) throw error;
      // Neither could be read: the AMQP error decides the status, the API's is said too.
      throw { ...error, detail: `${error.detail}; and the management API: ${why.detail}` } satisfies ApiError;
    }
    const queues: RabbitQueueStats[] = checks.flatMap((c) => (c.status === 'ok'
      ? [{ name: c.name, vhost: connection.target.vhost, messagesReady: c.messageCount, consumers: c.consumerCount, source: 'amqp' as const }]
      : []));
    const partial = `management API unreadable (${why.detail}): AMQP alone gives partial figures, the ready count and consumers of the queues named in the config`;
    const degraded: ApiError[] = [{
      code: why.code,
      detail: connection.queues.length === 0
        ? `${partial}, and none is named (AMQP cannot list queues: add "queues" to the connection in a --config file)`
        : partial,
    }];
    for (const c of checks) {
      if (c.status === 'missing') degraded.push({ code: 'QUEUE_NOT_FOUND', detail: `queue "${c.name}": ${c.detail}` });
      else if (c.status === 'error') degraded.push({ code: c.error.code, detail: `queue "${c.name}": ${c.error.detail}` });
    }
    const reason = 'the management API is unreadable; AMQP alone has no node figures';
    return {
      queues, source: 'amqp', degraded,
      broker: { kind: 'rabbitmq', takenAt: now, version: amqp.serverVersion ?? null, nodes: null, alarms: null, notes: { ...(amqp.serverVersion ? {} : { version: reason }), nodes: reason, alarms: reason } },
      roundTrips: roundTripsSoFar + amqp.traffic.roundTrips - before,
    };
  }

  #ctxOf(probe: RabbitProbe, now: number, source: 'management' | 'amqp'): RabbitProbeContext {
    const { connection, probeStates } = this.deps;
    return {
      connectionId: connection.id, vhost: connection.target.vhost, now, config: connection.frameworks[probe.framework] ?? {}, source,
      ...probeStates?.contextExtras(probe.framework),
    };
  }

  #figures(read: VhostRead, now: number): QueueFigures[] {
    const { connection, probes, options, probeStates } = this.deps;
    const ctxOf = (probe: RabbitProbe): RabbitProbeContext => this.#ctxOf(probe, now, read.source);
    const claimed = new Map<RabbitProbe, RabbitQueueStats[]>(probes.map((p) => [p, []]));
    for (const queue of read.queues) {
      const probe = probes.find((p) => p.claims(queue, ctxOf(p), probeStates?.stateOf(p)));
      if (probe) claimed.get(probe)!.push(queue);
    }
    const figures: QueueFigures[] = [];
    const workers: WorkerInfo[] = [];
    for (const [probe, queues] of claimed) {
      if (queues.length === 0) continue;
      const reading = probe.read(ctxOf(probe), queues, probeStates?.stateOf(probe));
      workers.push(...(reading.workers ?? []));
      for (const q of reading.queues) {
        const key = `${probe.framework}|${q.queue}`;
        const trend = q.waiting === null ? [] : pushTrend(this.#trends, key, { at: reading.takenAt, waiting: q.waiting }, options.rateWindowMs);
        const computed = computeQueueFigures({
          connection: connection.id, framework: probe.framework, namespace: connection.target.vhost,
          takenAt: reading.takenAt, reading: q, trend, minFinished: options.minFinished,
        });
        // The broker's own rate when the probe gives one, else the one computed from finished tasks.
        figures.push(q.throughputPerMin === undefined ? computed : { ...computed, throughputPerMin: q.throughputPerMin });
      }
    }
    // Queues gone from the vhost take their trends with them.
    const live = new Set(figures.map((f) => `${f.framework}|${f.queue}`));
    for (const key of this.#trends.keys()) if (!live.has(key)) this.#trends.delete(key);
    this.#workers = workers;
    return figures;
  }
}
