import type { FigureName } from '../../../contract/figures.js';
import { computeFinishedFigures } from '../../../core/metrics/finishedFigures.js';
import type { RabbitQueueStats } from '../../../io/rabbitmq/rabbitTypes.js';
import type { RabbitProbeContext, RabbitProbeReading, RabbitProbeState, RabbitQueueReading } from '../../rabbitProbe.js';
import { eventFigures } from '../celeryEventFigures.js';
import type { CeleryEventState } from '../celeryEventState.js';
import type { CeleryRabbitDiscovery } from './celeryRabbitDiscovery.js';
import { isCeleryInfraQueue } from './celeryRabbitDiscovery.js';
import { heldByQueue, type HeldTasks } from './celeryRabbitHeld.js';

type Notes = Partial<Record<FigureName, string>>;

const notListening = 'not listening to Celery events';

/**
 * Celery's task queues of a vhost. waiting = `messages_ready`; the unacknowledged messages are
 * split with the events: scheduled = ETA tasks live workers hold, reserved = the rest (prefetched;
 * running tasks have been acknowledged under Celery's default early ack, and are subtracted when
 * the counts show `task_acks_late`); running, failed, retrying, workers, throughput and latencies
 * come from the events, folded by the same code as on Redis. Celery's own queues (pidbox, event
 * receivers, task-status's own) are claimed and not shown.
 */
export function readCeleryRabbit(ctx: RabbitProbeContext, queues: readonly RabbitQueueStats[], state?: RabbitProbeState<CeleryRabbitDiscovery, CeleryEventState>): RabbitProbeReading {
  const discovery = state?.discovery ?? null;
  const eventsWhy = state?.eventsWhy ?? notListening;
  const events = state?.eventsWhy === null ? state.events : null;
  const taskQueues = queues.filter((q) => !isCeleryInfraQueue(q.name) || discovery?.queues.has(q.name));
  const names = taskQueues.map((q) => q.name);
  const workerQueues = discovery?.workerQueues;
  const ev = eventFigures({
    state: events, queues: names, waiting: new Map(taskQueues.map((q) => [q.name, q.messagesReady ?? null])),
    connection: ctx.connectionId, now: ctx.now, rateWindowMs: ctx.rateWindowMs ?? 600_000, ...(workerQueues ? { workerQueues } : {}),
  });
  const onlyQueue = names.length === 1 ? names[0]! : null;
  const held = events ? heldByQueue(events, onlyQueue, ctx.now, workerQueues && ((h) => {
    const list = workerQueues.get(h);
    return list?.length === 1 ? list[0]! : null;
  })) : null;
  const readings = taskQueues.map((q): RabbitQueueReading => {
    const e = ev.perQueue.get(q.name)!;
    const notes: Notes = {};
    for (const [k, v] of Object.entries(e.notes) as [FigureName, string][]) notes[k] = v === notListening ? eventsWhy : v;
    notes.dead = 'Celery keeps no dead-letter set';
    const waiting = q.messagesReady ?? null;
    if (waiting === null) notes.waiting = 'RabbitMQ has not reported this queue\'s counts yet (declared since its last statistics emission, or statistics are off)';
    const split = splitUnacked(q, e.running, held, names.length, eventsWhy, notes);
    const reading: RabbitQueueReading = {
      queue: q.name, waiting, scheduled: split.scheduled, reserved: split.reserved,
      running: e.running, failed: e.failed, dead: null, retrying: e.retrying,
      oldestWaitingAt: waiting === 0 ? null : e.oldestWaitingAt, workers: e.workers, notes,
      // The session takes the probe's throughput as given: here it is the one the finished tasks
      // heard give (the same computation as for every other figure from them).
      throughputPerMin: e.finished ? computeFinishedFigures(e.finished).throughputPerMin : null,
    };
    if (e.finished) reading.finished = e.finished;
    return reading;
  });
  return { takenAt: ctx.now, queues: readings, workers: ev.workers, errors: [] };
}

/**
 * Scheduled and reserved from `messages_unacknowledged` (U) and the events. With S scheduled and
 * P prefetched tasks heard held by live workers and R running: under early ack (Celery's
 * default; the message is acked when the task starts) U = S + P, under `task_acks_late`
 * U = S + P + R. Tasks received before listening began are not heard, so when neither equation
 * holds, Celery's default is assumed and said.
 */
function splitUnacked(q: RabbitQueueStats, running: number | null, held: { byQueue: Map<string, HeldTasks>; unplaced: number } | null, queueCount: number, eventsWhy: string, notes: Notes): { scheduled: number | null; reserved: number | null } {
  const unacked = q.messagesUnacknowledged ?? null;
  if (unacked === null) {
    notes.reserved = notes.scheduled = q.source === 'amqp' ? 'AMQP alone (management API unreadable) cannot see unacknowledged messages'
      : 'RabbitMQ has not reported this queue\'s unacknowledged count yet';
    return { scheduled: null, reserved: null };
  }
  if (unacked === 0) return { scheduled: 0, reserved: 0 };
  if (!held) {
    notes.reserved = notes.scheduled = `${unacked} messages are delivered to workers and not acknowledged (prefetched, ETA tasks held, or running under task_acks_late); `
      + `telling them apart needs Celery's events: ${eventsWhy}`;
    return { scheduled: null, reserved: null };
  }
  if (held.unplaced > 0 && queueCount > 1) {
    notes.reserved = notes.scheduled = `${unacked} messages are unacknowledged; ${held.unplaced} tasks workers hold were heard without their queue `
      + '(no task-sent event, and their worker consumes several queues)';
    return { scheduled: null, reserved: null };
  }
  const h = held.byQueue.get(q.name) ?? { scheduled: 0, prefetched: 0 };
  const rest = unacked - h.scheduled;
  notes.scheduled = 'ETA and countdown tasks (retry delays included) that live workers hold unacknowledged, from task-received events with an eta ahead; '
    + 'one received before task-status began listening is counted in reserved';
  if (rest < 0) {
    notes.reserved = `${unacked} messages are unacknowledged but ${h.scheduled} ETA tasks were heard held: RabbitMQ's count lags the events`;
    return { scheduled: h.scheduled, reserved: null };
  }
  if (rest === h.prefetched || running === 0) {
    notes.reserved = 'unacknowledged messages that are not ETA tasks: prefetched by workers, not started (as celery inspect reserved)';
    return { scheduled: h.scheduled, reserved: rest };
  }
  if (running !== null && rest - running === h.prefetched) {
    notes.reserved = `unacknowledged messages less the ETA tasks and the ${running} running tasks, whose messages task_acks_late keeps unacknowledged until they finish`;
    return { scheduled: h.scheduled, reserved: h.prefetched };
  }
  notes.reserved = 'unacknowledged messages that are not ETA tasks, assuming Celery\'s default early acknowledgement '
    + '(under task_acks_late the running tasks are counted here too; events heard so far do not tell)';
  return { scheduled: h.scheduled, reserved: rest };
}
