import { createApp } from '../src-main/bootstrap/createApp.js';
import { resolveConnections } from '../src-main/core/config/resolveConnections.js';

/**
 * One measurement, in its own process so that its RSS is the monitor's alone: discovery and a
 * first sample, then `polls` polls of one database, as the tray app polls.
 */
const polls = Number(process.env.BENCH_POLLS ?? 200);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function measure(url: string, label: string): Promise<void> {
  const config = resolveConnections({ redisUrls: [url], configFile: null, env: {}, trayConfig: null });
  const app = createApp({ config, session: { sampleIntervalMs: 3_600_000 } });
  const session = app.monitor.sessions[0]!;
  const first = await session.poll(); // discovery and the first sample
  if (first.status !== 'ok') throw new Error(`${label}: ${first.statusReason?.detail}`);
  const durations: number[] = [];
  let commands = 0;
  let roundTrips = 0;
  for (let i = 0; i < polls; i++) {
    const started = performance.now();
    const view = await session.poll();
    durations.push(performance.now() - started);
    commands += view.commandsPerPoll ?? 0;
    roundTrips += view.roundTripsPerPoll ?? 0;
  }
  durations.sort((a, b) => a - b);
  const frameworks = first.frameworks.length;
  global.gc?.();
  const rssMb = process.memoryUsage().rss / 1024 / 1024;
  console.log([
    label.padEnd(10),
    `queues ${String(first.queues.length).padStart(4)}`,
    `poll p50 ${percentile(durations, 50).toFixed(2).padStart(6)} ms`,
    `p95 ${percentile(durations, 95).toFixed(2).padStart(6)} ms`,
    `commands/poll ${(commands / polls).toFixed(0).padStart(5)}`,
    `round trips/poll ${(roundTrips / polls).toFixed(2)} (${frameworks} frameworks)`,
    `monitor RSS ${rssMb.toFixed(0)} MB`,
  ].join('  '));
  await app.close();
}

const [url, label] = process.argv.slice(2);
await measure(url!, label!);
