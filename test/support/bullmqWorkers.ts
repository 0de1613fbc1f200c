import { createRequire } from 'node:module';
import type * as Bullmq from 'bullmq';

/**
 * Real BullMQ for tests, in this process: bullmq 6.x (`bullmq`) and 5.x (`bullmq5`, the same
 * API), loaded as CommonJS (their ESM builds use directory imports Node refuses). Queues and
 * workers talk to a private redis-server only; `closeAll` closes what a test opened.
 */
export type BullmqModule = typeof Bullmq;
export type BullmqMajor = '6' | '5';

const require = createRequire(import.meta.url);

export function loadBullmq(major: BullmqMajor): BullmqModule {
  return require(major === '6' ? 'bullmq' : 'bullmq5') as BullmqModule;
}

/** The version string a BullMQ writes into `meta.version` (`bullmq:6.7.6`). */
export function bullmqVersion(major: BullmqMajor): string {
  return (require(major === '6' ? 'bullmq/package.json' : 'bullmq5/package.json') as { version: string }).version;
}

export interface Closable { close(): Promise<unknown> }

const opened: Closable[] = [];

/** Remembers a Queue, Worker or QueueEvents so that {@link closeAll} closes it. */
export function track<T extends Closable>(thing: T): T {
  opened.push(thing);
  return thing;
}

export async function closeAll(): Promise<void> {
  // Workers first (they may hold jobs), then queues.
  const all = opened.splice(0).reverse();
  await Promise.all(all.map((c) => c.close().catch(() => undefined)));
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls a condition until it holds (10 s), failing with what it waited for. */
export async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}
