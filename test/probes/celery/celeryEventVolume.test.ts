import { describe, expect, it } from 'vitest';
import { celeryEvents } from '../../../src-main/probes/celery/celeryEvents.js';
import { channel, eventMessage, taskEvent } from './celeryEventMessages.js';
import { namespace } from './celeryHarness.js';

/**
 * A long stream folds every event and stays within the task bound. (Its speed, 20,000 events/s
 * on one core, is measured by `npm run bench` over a real Redis, not timed here.) Traffic: each
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

function foldAll(batch: number): { state: ReturnType<typeof celeryEvents.initial>; messages: number } {
  const ns = namespace(0);
  const messages = traffic(50_000, batch);
  const state = celeryEvents.initial(ns);
  for (const [i, { ch, message }] of messages.entries()) {
    celeryEvents.fold(state, ns, ch, message, 1_796_000_000_000 + i);
    // The monitor prunes once per poll; here every 20,000 messages.
    if (i % 20_000 === 0) celeryEvents.prune(state, 1_796_000_000_000 + i);
  }
  celeryEvents.prune(state, 1_796_000_000_000 + messages.length);
  return { state, messages: messages.length };
}

describe('celery event stream volume', () => {
  it('folds all 200,000 events of 50,000 tasks, batched by 24 (task.multi) or one per message', () => {
    const batched = foldAll(24);
    expect([batched.messages, batched.state.messageCount, batched.state.taskEventCount]).toEqual([50_000 + 150_000 / 24, 50_000 + 150_000 / 24, 200_000]);
    const single = foldAll(1);
    expect([single.messages, single.state.messageCount, single.state.taskEventCount]).toEqual([200_000, 200_000, 200_000]);
  });

  it('keeps every task while under the bound of 50,000, each one finished', () => {
    const { state } = foldAll(24);
    expect(state.tasks.size).toBe(50_000);
    expect([...state.tasks.values()].every((t) => t.phase === 'succeeded')).toBe(true);
    expect(state.droppedFinishedUntil).toBeNull();
  });
});
