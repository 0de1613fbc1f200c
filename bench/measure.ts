import { loadavg } from 'node:os';
import { Redis } from 'ioredis';
import { createApp } from '../src-main/bootstrap/createApp.js';
import { resolveConnections } from '../src-main/core/config/resolveConnections.js';
import type { QueueFigures } from '../src-main/contract/figures.js';
import { readOnlyCommands, type RedisReader } from '../src-main/io/redis/redisReader.js';
import type { QueueProbe } from '../src-main/probes/probe.js';
import { probeRegistry } from '../src-main/probes/registry.js';

/**
 * One measurement, in its own process so that its RSS is the monitor's alone: discovery and a
 * first sample, then `polls` polls of one database, as the tray app polls. The probes are the
 * registry's, each seen through a counting reader, so that commands, round trips and the time of
 * each framework's part of the poll are told apart. The last stdout line is the result as JSON
 * (prefixed `BENCH_RESULT `) for run.ts' 1k vs 1M comparison.
 */
const polls = Number(process.env.BENCH_POLLS ?? 200);

export interface FrameworkFigures {
  framework: string;
  queues: number;
  p50Ms: number;
  p95Ms: number;
  commandsPerPoll: number;
  roundTripsPerPoll: number;
  /** Sums over the framework's queues of what the monitor saw (`?` where a queue said `null`): the layout was read. */
  seen: string;
}

export interface MeasureResult {
  label: string;
  /** What is counted per poll: Redis commands, or RabbitMQ management API / AMQP requests. */
  unit: 'commands' | 'requests';
  queues: number;
  p50Ms: number;
  p95Ms: number;
  commandsPerPoll: number;
  roundTripsPerPoll: number;
  rssMb: number;
  /** Redis server CPU (user + sys, from INFO, read on a connection of the bench's own) per poll, ms; null for RabbitMQ. */
  serverCpuMsPerPoll: number | null;
  /** The Redis commands that cost the server most per poll (INFO commandstats), `SORT_RO 0.41 ms` …; empty for RabbitMQ. */
  topCommands: string[];
  /** Commands outside the read-only allowlist the server ran during the polls (none expected); null for RabbitMQ. */
  writeCommands: string[] | null;
  /** Connections the server accepted during the polls (0 expected: connections persist); null for RabbitMQ. */
  newConnections: number | null;
  /** The machine's 1-minute load average when the polls began (the bench shares its cores). */
  loadAverage: number;
  frameworks: FrameworkFigures[];
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN;
}

const seenFigures = ['waiting', 'scheduled', 'running', 'failed', 'dead'] as const;

/** `waiting 250000, scheduled 25000, …`: each figure summed over the queues, `+?` when some queue does not know it. */
function seen(queues: readonly QueueFigures[]): string {
  return seenFigures.map((f) => {
    const values = queues.map((q) => q[f]);
    const known = values.filter((v): v is number => v !== null);
    if (known.length === 0) return `${f} ?`;
    return `${f} ${known.reduce((a, b) => a + b, 0)}${known.length < values.length ? '+?' : ''}`;
  }).join(', ');
}

interface Counter { commands: number; roundTrips: number; durations: number[]; counting: boolean }

/** A reader that counts what goes through it: one round trip per batch or SCAN page request. */
function countingReader(reader: RedisReader, counter: Counter): RedisReader {
  return {
    db: reader.db,
    batch: (commands) => {
      counter.commands += commands.length;
      counter.roundTrips += 1;
      return reader.batch(commands);
    },
    scanKeys: (pattern, options) => {
      counter.roundTrips += 1;
      return reader.scanKeys(pattern, options);
    },
    scanKeysBuffer: (pattern, options) => {
      counter.roundTrips += 1;
      return reader.scanKeysBuffer(pattern, options);
    },
  };
}

/** The probe with its `poll` counted and timed (discovery, detection and samples are not polls). */
function countedProbe(probe: QueueProbe<unknown, unknown>, counter: Counter): QueueProbe<unknown, unknown> {
  const counted = Object.create(probe) as QueueProbe<unknown, unknown>;
  return Object.assign(counted, {
    poll: async (...args: Parameters<QueueProbe<unknown, unknown>['poll']>) => {
      const [ctx, ...rest] = args;
      if (!counter.counting) return probe.poll(ctx, ...rest);
      const started = performance.now();
      try {
        return await probe.poll({ ...ctx, redis: countingReader(ctx.redis, counter) }, ...rest);
      } finally {
        counter.durations.push(performance.now() - started);
      }
    },
  });
}

async function measure(url: string, label: string, apiUrl?: string): Promise<MeasureResult> {
  // A RabbitMQ connection is polled by its own session (management API requests, not Redis
  // batches): its figures are the session's own, per poll.
  const rabbit = url.startsWith('amqp');
  const counters = new Map<string, Counter>(probeRegistry.map((p) => [p.framework, { commands: 0, roundTrips: 0, durations: [], counting: false }]));
  const probes = probeRegistry.map((p) => countedProbe(p, counters.get(p.framework)!));
  const config = rabbit
    ? resolveConnections({ redisUrls: [], rabbitUrls: [url], rabbitApiUrls: apiUrl ? [apiUrl] : [], configFile: null, env: {}, trayConfig: null })
    : resolveConnections({ redisUrls: [url], configFile: null, env: {}, trayConfig: null });
  const app = createApp({ config, probes, session: { sampleIntervalMs: 3_600_000 } });
  const session = app.monitor.sessions[0]!;
  const first = await session.poll(); // discovery and the first sample
  if (first.status !== 'ok') throw new Error(`${label}: ${first.statusReason?.detail}`);
  for (const c of counters.values()) c.counting = true;
  const observer = rabbit ? null : new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 });
  const serverCpuMs = async () => {
    const info = String(await observer!.info('cpu'));
    const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? NaN);
    return (field('used_cpu_sys') + field('used_cpu_user')) * 1000;
  };
  const commandUsec = async () => {
    const stats = String(await observer!.info('commandstats'));
    return new Map([...stats.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)].map((m) => [m[1]!, Number(m[3])]));
  };
  const commandCalls = async () => {
    const stats = String(await observer!.info('commandstats'));
    return new Map([...stats.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)].map((m) => [m[1]!, Number(m[2])]));
  };
  const connectionsReceived = async () => Number(/^total_connections_received:(\d+)/m.exec(String(await observer!.info('stats')))?.[1]);
  const callsBefore = observer ? await commandCalls() : null;
  const connectionsBefore = observer ? await connectionsReceived() : null;
  const cpuBefore = observer ? await serverCpuMs() : null;
  const usecBefore = observer ? await commandUsec() : null;
  const loadAverage = loadavg()[0]!;
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
  // The observer's own INFO is one command: well under the resolution of the server's CPU clock.
  const serverCpuMsPerPoll = observer && cpuBefore !== null ? ((await serverCpuMs()) - cpuBefore) / polls : null;
  const usecAfter = observer ? await commandUsec() : null;
  const callsAfter = observer ? await commandCalls() : null;
  const newConnections = observer && connectionsBefore !== null ? (await connectionsReceived()) - connectionsBefore : null;
  const writeCommands = callsBefore && callsAfter
    ? [...callsAfter].filter(([cmd, calls]) => calls > (callsBefore.get(cmd) ?? 0) && !readOnlyCommands.has(cmd.split('|')[0]!.toUpperCase()))
      .map(([cmd]) => cmd.toUpperCase())
    : null;
  const topCommands = usecBefore && usecAfter
    ? [...usecAfter].map(([cmd, usec]) => [cmd, (usec - (usecBefore.get(cmd) ?? 0)) / polls / 1000] as const)
      .filter(([cmd]) => cmd !== 'info').sort((a, b) => b[1] - a[1]).slice(0, 4).map(([cmd, ms]) => `${cmd.toUpperCase()} ${ms.toFixed(2)}`)
    : [];
  observer?.disconnect();
  global.gc?.();
  const result: MeasureResult = {
    label,
    unit: rabbit ? 'requests' : 'commands',
    queues: first.queues.length,
    p50Ms: percentile(durations, 50),
    p95Ms: percentile(durations, 95),
    commandsPerPoll: commands / polls,
    roundTripsPerPoll: roundTrips / polls,
    rssMb: process.memoryUsage().rss / 1024 / 1024,
    serverCpuMsPerPoll,
    topCommands,
    writeCommands,
    newConnections,
    loadAverage,
    frameworks: first.frameworks.map((framework) => {
      const c = rabbit ? { commands, roundTrips, durations } : counters.get(framework)!;
      const sorted = [...c.durations].sort((a, b) => a - b);
      return {
        framework,
        queues: first.queues.filter((q) => q.framework === framework).length,
        p50Ms: percentile(sorted, 50),
        p95Ms: percentile(sorted, 95),
        commandsPerPoll: c.commands / polls,
        roundTripsPerPoll: c.roundTrips / polls,
        seen: seen(first.queues.filter((q) => q.framework === framework)),
      };
    }),
  };
  await app.close();
  return result;
}

const [url, label, apiUrl] = process.argv.slice(2);
const r = await measure(url!, label!, apiUrl);
console.log([
  r.label.padEnd(14),
  `queues ${String(r.queues).padStart(4)}`,
  `poll p50 ${r.p50Ms.toFixed(2).padStart(6)} ms`,
  `p95 ${r.p95Ms.toFixed(2).padStart(6)} ms`,
  `${r.unit}/poll ${r.commandsPerPoll.toFixed(0).padStart(5)}`,
  `round trips/poll ${r.roundTripsPerPoll.toFixed(2)} (${r.frameworks.length} frameworks)`,
  `monitor RSS ${r.rssMb.toFixed(0)} MB`,
  ...(r.serverCpuMsPerPoll === null ? [] : [`Redis CPU ${r.serverCpuMsPerPoll.toFixed(2)} ms/poll`]),
  `load ${r.loadAverage.toFixed(1)}`,
].join('  '));
if (r.writeCommands && r.newConnections !== null) {
  console.log(`  Redis time per poll by command (ms): ${r.topCommands.join(', ')}; writes: ${r.writeCommands.length ? r.writeCommands.join(', ') : 'none'}; new connections: ${r.newConnections}`);
}
for (const f of r.frameworks) {
  console.log([
    `  ${f.framework.padEnd(12)}`,
    `queues ${String(f.queues).padStart(4)}`,
    `its part p50 ${f.p50Ms.toFixed(2).padStart(6)} ms`,
    `p95 ${f.p95Ms.toFixed(2).padStart(6)} ms`,
    `${r.unit}/poll ${f.commandsPerPoll.toFixed(0).padStart(5)}`,
    `round trips/poll ${f.roundTripsPerPoll.toFixed(2)}`,
    `saw ${f.seen}`,
  ].join('  '));
}
console.log(`BENCH_RESULT ${JSON.stringify(r)}`);
