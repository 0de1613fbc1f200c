import { describe, expect, it } from 'vitest';
import { celeryEvents } from '../../../src-main/probes/celery/celeryEvents.js';
import { channel, eventMessage, taskEvent } from './celeryEventMessages.js';
import { namespace } from './celeryHarness.js';

/**
 * The fold must keep up with 20,000 events/s on one core. Measured on realistic traffic: each
 * task gives a task-sent message from its producer and received/started/succeeded events from
 * the worker, batched by the prefork pool into task.multi messages of up to 24 (or one message
 * per event, as non-prefork pools send them).
 */
function traffic(tasks: number, batch: number): { ch: string; message: Buffer }[] {
  const out: { ch: string; message: Buffer }[] = [];
  let pending: Record<string, unknown>[] = [];
  const t0 = 1_796_000_000;
  for (let i = 0; i < tasks; i++) {
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const ts = t0 + i / 1000;
    out.push({ ch: channel('task.sent'), message: eventMessage(taskEvent('task-sent', id, ts), 'task.sent', 'gen1@test') });
    pending.push(taskEvent('task-received', id, ts + 0.001), taskEvent('task-started', id, ts + 0.002), taskEvent('task-succeeded', id, ts + 0.003, { result: '3', runtime: 0.001 }));
    while (pending.length >= batch) {
      const events = pending.slice(0, batch);
      pending = pending.slice(batch);
      out.push(batch === 1
        ? { ch: channel(String(events[0]!.type).replace('-', '.')), message: eventMessage(events[0], String(events[0]!.type).replace('-', '.')) }
        : { ch: channel('task.multi'), message: eventMessage(events, 'task.multi') });
    }
  }
  return out;
}

function measure(batch: number): number {
  const ns = namespace(0);
  const messages = traffic(50_000, batch);
  const state = celeryEvents.initial(ns);
  const started = performance.now();
  for (const [i, { ch, message }] of messages.entries()) {
    celeryEvents.fold(state, ns, ch, message, 1_796_000_000_000 + i);
    // The monitor prunes once per poll; here every 20,000 messages.
    if (i % 20_000 === 0) celeryEvents.prune(state, 1_796_000_000_000 + i);
  }
  const seconds = (performance.now() - started) / 1000;
  expect(state.taskEventCount).toBe(200_000);
  return Math.round(200_000 / seconds);
}

describe('celery event fold speed', () => {
  it('folds at least 20,000 events/s, batched (task.multi) or one event per message', () => {
    measure(24); // warm-up
    const batched = measure(24);
    const single = measure(1);
    console.log(`celery fold: ${batched} events/s batched by 24, ${single} events/s one per message`);
    expect(batched).toBeGreaterThan(20_000);
    expect(single).toBeGreaterThan(20_000);
  });
});
