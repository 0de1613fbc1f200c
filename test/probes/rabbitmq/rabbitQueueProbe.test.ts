import { describe, expect, it } from 'vitest';
import { queueReading, rabbitQueueProbe } from '../../../src-main/probes/rabbitmq/rabbitQueueProbe.js';
import type { RabbitQueueStats } from '../../../src-main/io/rabbitmq/rabbitTypes.js';

const base: RabbitQueueStats = { name: 'orders', vhost: '/', source: 'management' };

// The figures of a plain RabbitMQ queue (ARCHITECTURE.md "The figures, defined once").
describe('plain RabbitMQ queue figures', () => {
  it('waiting = messages_ready, reserved = messages_unacknowledged, workers online = consumers, throughput from the ack rates', () => {
    const r = queueReading({ ...base, messagesReady: 7, messagesUnacknowledged: 2, consumers: 3, rates: { ack: 1.25, deliverNoAck: 0.5, getNoAck: 0.25, publish: 9 } });
    expect(r).toMatchObject({
      queue: 'orders', waiting: 7, scheduled: null, reserved: 2, running: null, failed: null, dead: null, retrying: null,
      oldestWaitingAt: undefined, workers: { online: 3, busy: null, offline: null }, throughputPerMin: 120,
    });
    // Every null says why.
    for (const figure of ['scheduled', 'running', 'failed', 'dead', 'retrying', 'oldestWaitingAgeMs', 'workers', 'throughputPerMin', 'waitLatencyMs', 'runLatencyMs', 'successRatio'] as const) {
      expect(r.notes[figure], figure).toBeTruthy();
    }
    expect(r.notes.waiting).toBeUndefined();
    expect(r.notes.reserved).toBeUndefined();
  });

  it('0 ready is "none waits": oldest waiting age 0 without a note', () => {
    const r = queueReading({ ...base, messagesReady: 0, messagesUnacknowledged: 0, consumers: 0 });
    expect(r.oldestWaitingAt).toBeNull();
    expect(r.notes.oldestWaitingAgeMs).toBeUndefined();
  });

  it('the head message timestamp a publisher set gives the oldest waiting time', () => {
    const r = queueReading({ ...base, messagesReady: 2, headMessageTimestampMs: 1_700_000_000_000 });
    expect(r.oldestWaitingAt).toBe(1_700_000_000_000);
    expect(r.notes.oldestWaitingAgeMs).toMatch(/timestamp property/);
  });

  it('a queue RabbitMQ has not reported yet: every count unknown with the reason, never 0', () => {
    const r = queueReading({ ...base, type: 'classic' });
    expect([r.waiting, r.reserved, r.workers.online, r.throughputPerMin]).toEqual([null, null, null, null]);
    expect(r.notes.waiting).toMatch(/not reported/);
    expect(r.notes.workers).toMatch(/not reported/);
    expect(r.notes.throughputPerMin).toMatch(/no message rates/);
  });

  it('dead: null, naming the dead-letter exchange when the queue has one', () => {
    expect(queueReading({ ...base, arguments: { 'x-dead-letter-exchange': 'dlx' } }).notes.dead).toMatch(/exchange "dlx"/);
    expect(queueReading({ ...base, arguments: {} }).notes.dead).toMatch(/no x-dead-letter-exchange/);
  });

  it('AMQP alone: ready and consumers; unacknowledged, rates and ages unknown, said to be AMQP\'s limit', () => {
    const r = queueReading({ name: 'orders', vhost: '/', source: 'amqp', messagesReady: 4, consumers: 1 });
    expect([r.waiting, r.reserved, r.workers.online, r.throughputPerMin, r.oldestWaitingAt]).toEqual([4, null, 1, null, undefined]);
    expect(r.notes.reserved).toMatch(/AMQP alone/);
    expect(r.notes.throughputPerMin).toMatch(/AMQP alone/);
    expect(r.notes.oldestWaitingAgeMs).toMatch(/AMQP alone/);
  });

  it('claims every queue and reads them at the poll\'s time', () => {
    const ctx = { connectionId: 'c', vhost: '/', now: 42, config: {}, source: 'management' as const };
    expect(rabbitQueueProbe.claims(base, ctx)).toBe(true);
    const reading = rabbitQueueProbe.read(ctx, [base, { ...base, name: 'b' }]);
    expect(reading.takenAt).toBe(42);
    expect(reading.queues.map((q) => q.queue)).toEqual(['orders', 'b']);
    expect(reading.workers).toBeNull();
  });
});
