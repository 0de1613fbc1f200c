import type { ConnectionView, RabbitBrokerFigures } from '../contract/dashboard.js';
import { isApiError, type ApiError } from '../contract/errors.js';
import type { Framework, QueueFigures } from '../contract/figures.js';
import type { TaskDetail } from '../contract/task.js';
import type { ResolvedRabbitConnection } from '../core/config/resolveConnections.js';
import type { WaitingPoint } from '../core/metrics/drainEta.js';
import { computeQueueFigures } from '../core/metrics/queueFigures.js';
import type { Clock } from '../io/clock.js';
import { rabbitBrokerFigures } from '../io/rabbitmq/brokerFigures.js';
import type { AmqpQueueChecker, RabbitManagementReader, RabbitOverview, RabbitQueueStats } from '../io/rabbitmq/rabbitTypes.js';
import type { RabbitProbe, RabbitProbeContext } from '../probes/rabbitProbe.js';
import type { SessionOptions } from './connectionSession.js';
import type { MonitorSession } from './monitorSession.js';
import { pushTrend } from './targets.js';

export interface RabbitSessionDeps {
  connection: ResolvedRabbitConnection;
  management: RabbitManagementReader;
  amqp: AmqpQueueChecker;
  probes: readonly RabbitProbe[];
  clock: Clock;
  options: SessionOptions;
}

/** What one poll read, before the probes. */
interface VhostRead {
  queues: RabbitQueueStats[];
  source: 'management' | 'amqp';
  broker: RabbitBrokerFigures;
  degraded: string[];
  roundTrips: number;
}

/** Errors that mean "no management API there" (plugin off, wrong port): AMQP is tried instead. */
const fallbackCodes = new Set(['TARGET_UNREACHABLE', 'TLS_REQUIRED', 'BAD_URL']);

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
  readonly #trends = new Map<string, WaitingPoint[]>();
  #hasAnswered = false;

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

  /** Plain AMQP queues carry no task ids a monitor could look up (Celery on RabbitMQ will). */
  async findTask(_id: string, _filter: { framework?: Framework }): Promise<{ found: TaskDetail[]; failures: ApiError[] }> {
    if (this.#view.lastGoodPollAt === null) await this.poll();
    const failures = this.isShown && this.#view.statusReason && (this.#view.status === 'unreachable' || this.#view.status === 'unauthorized')
      ? [this.#view.statusReason] : [];
    return { found: [], failures };
  }

  async #pollOnce(): Promise<ConnectionView> {
    const { clock, management, amqp } = this.deps;
    const startedAt = clock.now();
    const before = management.traffic.requests + amqp.traffic.requests;
    let roundTrips = 0;
    try {
      const read = await this.#read(startedAt);
      roundTrips = read.roundTrips;
      const queues = this.#figures(read, startedAt);
      this.#hasAnswered = true;
      this.#view = {
        ...this.#view,
        status: read.degraded.length ? 'degraded' : 'ok',
        statusReason: read.degraded.length ? { code: 'PERMISSION_DENIED', detail: read.degraded.join('; '), connection: this.#view.id } : null,
        frameworks: [...new Set(queues.map((q) => q.framework))],
        queues,
        workers: [],
        takenAt: startedAt,
        lastGoodPollAt: startedAt,
        broker: read.broker,
      };
    } catch (error) {
      const reason: ApiError = isApiError(error) ? { ...error, connection: this.#view.id }
        : { code: 'INTERNAL', detail: String((error as Error)?.message ?? error), connection: this.#view.id };
      this.#view = { ...this.#view, status: reason.code === 'AUTH_FAILED' ? 'unauthorized' : 'unreachable', statusReason: reason };
      // Read the overview again once the broker is back (it may be another version, stats may differ).
      this.#overview = null;
    }
    this.#view = {
      ...this.#view,
      pollDurationMs: clock.now() - startedAt,
      commandsPerPoll: management.traffic.requests + amqp.traffic.requests - before,
      roundTripsPerPoll: roundTrips,
    };
    return this.#view;
  }

  /** The vhost through the management API, else through AMQP; throws when neither can be read. */
  async #read(now: number): Promise<VhostRead> {
    const { connection, management, options } = this.deps;
    let roundTrips = 0;
    if (this.#overview === null || now - this.#overview.at >= options.discoveryIntervalMs) {
      // On the slow cadence: the version, and whether statistics are off (then counts need another query).
      roundTrips++;
      try {
        this.#overview = { at: now, value: await management.overview() };
      } catch (error) {
        if (!isApiError(error)) throw error;
        if (fallbackCodes.has(error.code)) return this.#readOverAmqp(now, error, roundTrips);
        if (error.code !== 'PERMISSION_DENIED') throw error;
        this.#overview = { at: now, value: `overview unreadable: ${error.detail}` };
      }
    }
    const statsDisabled = typeof this.#overview.value !== 'string' && this.#overview.value.isStatsDisabled;
    roundTrips++;
    const [listing, nodes] = await Promise.all([
      management.listQueues(connection.target.vhost, { statsDisabled }).catch((e: unknown) => ({ failed: e })),
      management.nodes().catch((e: unknown) => ({ failed: e })),
    ]);
    if ('failed' in listing) {
      const error = listing.failed;
      if (!isApiError(error) || !fallbackCodes.has(error.code)) throw error;
      return this.#readOverAmqp(now, error, roundTrips);
    }
    // Pages after the first go side by side, in one more round trip.
    if (listing.pages > 1) roundTrips++;
    const degraded: string[] = [];
    let nodeRead: Parameters<typeof rabbitBrokerFigures>[2];
    if ('failed' in nodes) {
      if (!isApiError(nodes.failed)) throw nodes.failed;
      nodeRead = `node figures unreadable: ${nodes.failed.detail}`;
      degraded.push(nodeRead);
    } else nodeRead = nodes;
    if (statsDisabled) degraded.push('RabbitMQ\'s statistics collector is off: consumers and rates are unknown');
    return { queues: listing.queues, source: 'management', degraded, broker: rabbitBrokerFigures(now, this.#overview.value, nodeRead), roundTrips };
  }

  async #readOverAmqp(now: number, why: ApiError, roundTripsSoFar: number): Promise<VhostRead> {
    const { connection, amqp } = this.deps;
    const before = amqp.traffic.roundTrips;
    await amqp.connect();
    const checks = await amqp.checkQueues(connection.queues);
    const queues: RabbitQueueStats[] = checks.flatMap((c) => (c.exists
      ? [{ name: c.name, vhost: connection.target.vhost, messagesReady: c.messageCount, consumers: c.consumerCount, source: 'amqp' as const }]
      : []));
    const missing = checks.filter((c) => !c.exists).map((c) => `"${c.name}"`);
    const partial = `management API unreadable (${why.detail}): AMQP alone gives the ready count and consumers of the queues named in the config`;
    const degraded = [connection.queues.length === 0
      ? `${partial}, and none is named (AMQP cannot list queues: add "queues" to the connection in a --config file)`
      : partial];
    if (missing.length) degraded.push(`no queue ${missing.join(', ')} in vhost "${connection.target.vhost}"`);
    const reason = 'the management API is unreadable; AMQP alone has no node figures';
    return {
      queues, source: 'amqp', degraded,
      broker: { kind: 'rabbitmq', takenAt: now, version: null, nodes: null, alarms: null, notes: { version: reason, nodes: reason, alarms: reason } },
      roundTrips: roundTripsSoFar + amqp.traffic.roundTrips - before,
    };
  }

  #figures(read: VhostRead, now: number): QueueFigures[] {
    const { connection, probes, options } = this.deps;
    const ctxOf = (probe: RabbitProbe): RabbitProbeContext => ({
      connectionId: connection.id, vhost: connection.target.vhost, now, config: connection.frameworks[probe.framework] ?? {}, source: read.source,
    });
    const claimed = new Map<RabbitProbe, RabbitQueueStats[]>(probes.map((p) => [p, []]));
    for (const queue of read.queues) {
      const probe = probes.find((p) => p.claims(queue, ctxOf(p)));
      if (probe) claimed.get(probe)!.push(queue);
    }
    const figures: QueueFigures[] = [];
    for (const [probe, queues] of claimed) {
      if (queues.length === 0) continue;
      const reading = probe.read(ctxOf(probe), queues);
      for (const q of reading.queues) {
        const key = `${probe.framework}|${q.queue}`;
        const trend = q.waiting === null ? [] : pushTrend(this.#trends, key, { at: reading.takenAt, waiting: q.waiting }, options.rateWindowMs);
        const computed = computeQueueFigures({
          connection: connection.id, framework: probe.framework, namespace: connection.target.vhost,
          takenAt: reading.takenAt, reading: q, trend, minFinished: options.minFinished,
        });
        figures.push({ ...computed, throughputPerMin: q.throughputPerMin });
      }
    }
    // Queues gone from the vhost take their trends with them.
    const live = new Set(figures.map((f) => `${f.framework}|${f.queue}`));
    for (const key of this.#trends.keys()) if (!live.has(key)) this.#trends.delete(key);
    return figures;
  }
}
