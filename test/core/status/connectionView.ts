import type { ConnectionView } from '../../../src-main/contract/dashboard.js';

/** A connection as the monitor would report it after a good poll at `lastGoodPollAt`. */
export function connectionView(id: string, overrides: Partial<ConnectionView> = {}): ConnectionView {
  return {
    id,
    url: `redis://127.0.0.1:6379/${id}`,
    status: 'ok',
    statusReason: null,
    frameworks: ['rq'],
    queues: [],
    workers: [],
    takenAt: 1_000_000,
    lastGoodPollAt: 1_000_000,
    pollDurationMs: 3,
    commandsPerPoll: 4,
    roundTripsPerPoll: 1,
    ...overrides,
  };
}
