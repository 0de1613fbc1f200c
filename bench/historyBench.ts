import { mkdtempSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { QueueFigures, WorkerInfo } from '../src-main/contract/figures.js';
import { SqliteHistoryStore } from '../src-main/io/history/sqliteHistoryStore.js';

/**
 * The history store at its default retention and size: 24 h of raw samples of 200 queues polled
 * every 5 s (17,280 polls, 3.5 M queue rows, written one transaction per poll as the recorder
 * does, rollups and pruning included), then the 24 h chart of one queue's figure (the target:
 * ≤ 30 ms and ≤ ~1,000 points), and the file's size. In its own process (`npm run bench`,
 * part `history`). BENCH_HISTORY_QUEUES and BENCH_HISTORY_HOURS shrink it for a quick look.
 */
const queues = Number(process.env.BENCH_HISTORY_QUEUES ?? 200);
const hours = Number(process.env.BENCH_HISTORY_HOURS ?? 24);
const pollIntervalMs = 5000;
const hour = 3_600_000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Plausible figures: a backlog that wanders, rates with decimals, latencies, some unknowns. */
function figuresOf(q: number, i: number, at: number): QueueFigures {
  const waiting = Math.round(500 + 400 * Math.sin((i + q * 37) / 300) + ((i * 7919 + q * 104_729) % 50));
  return {
    connection: 'bench', framework: q % 2 ? 'rq' : 'celery', queue: `queue-${q}`, namespace: 'db1',
    waiting, scheduled: (i + q) % 13, reserved: q % 2 ? null : (i % 5), running: (i + q) % 8, failed: Math.floor(i / 500) + q,
    dead: null, retrying: q % 2 ? null : (i % 3), oldestWaitingAgeMs: waiting * 120, throughputPerMin: 30 + ((i * 31 + q) % 97) / 7,
    waitLatencyMs: { p50: 800 + (i % 40) * 3, p95: 2400 + (i % 90) * 11 }, runLatencyMs: { p50: 150 + (q % 30), p95: 900 + (i % 60) },
    successRatio: 0.95 + ((i + q) % 50) / 1000, drainEtaMs: waiting * 2000, workers: { online: 4, busy: (i + q) % 5, offline: 0 },
    takenAt: at, notes: {},
  };
}

const workers: WorkerInfo[] = Array.from({ length: 8 }, (_, w) => ({
  name: `w${w}`, framework: 'rq', connection: 'bench', state: 'online', busy: w % 2 === 0, lastSeenAt: null,
  currentTask: null, queues: null, hostname: null, pid: null,
}));

const dir = mkdtempSync(join(tmpdir(), 'task-status-history-bench-'));
const path = join(dir, 'history.db');
try {
  const store = new SqliteHistoryStore({ path, pollIntervalMs });
  const now = Math.floor(Date.now() / pollIntervalMs) * pollIntervalMs;
  const start = now - hours * hour;
  const polls = (hours * hour) / pollIntervalMs;
  const insertMs: number[] = [];
  const maintainMs: number[] = [];
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < polls; i++) {
    const at = start + i * pollIntervalMs;
    const figures = Array.from({ length: queues }, (_, q) => figuresOf(q, i, at));
    const began = performance.now();
    store.record({ connection: 'bench', at, status: 'ok', pollDurationMs: 12, queues: figures, workers, pollIntervalMs });
    // Every 12th poll (a minute at 5 s) also rolls up the minute that closed and prunes.
    (i % 12 === 0 ? maintainMs : insertMs).push(performance.now() - began);
  }
  const fillS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  insertMs.sort((a, b) => a - b);
  maintainMs.sort((a, b) => a - b);
  const fileBytes = () => statSync(path).size + (existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0);
  console.log([
    `history: ${queues} queues × ${polls} polls (${hours} h at 5 s) in ${fillS.toFixed(1)} s`,
    `CPU ${((cpu.user + cpu.system) / 1000 / polls).toFixed(2)} ms per poll`,
    `insert per poll p50 ${percentile(insertMs, 50).toFixed(2)} ms`,
    `p95 ${percentile(insertMs, 95).toFixed(2)} ms`,
    `with the minute's rollup and pruning p50 ${percentile(maintainMs, 50).toFixed(2)} ms p95 ${percentile(maintainMs, 95).toFixed(2)} ms`,
  ].join('  '));

  // The 24 h chart of one figure of one queue, as the Queue view asks it, across queues.
  const chart = (fromAt: number, label: string, figures: Parameters<SqliteHistoryStore['query']>[0]['figures']) => {
    const times: number[] = [];
    let points = 0;
    let resolution = '';
    for (let k = 0; k < 60; k++) {
      const q = (k * 7) % queues;
      const began = performance.now();
      const view = store.query({ connection: 'bench', queue: `queue-${q}`, figures, fromAt, toAt: now }, now);
      times.push(performance.now() - began);
      points = Math.max(points, ...view.series.map((s) => s.points.length));
      resolution = `${view.resolution}${view.bucketMs ? `, ${view.bucketMs / 1000} s buckets` : ''}`;
    }
    times.sort((a, b) => a - b);
    console.log(`  ${label.padEnd(34)} p50 ${percentile(times, 50).toFixed(2).padStart(6)} ms  p95 ${percentile(times, 95).toFixed(2).padStart(6)} ms  ≤ ${points} points per series (${resolution})`);
  };
  chart(now - Math.min(hours, 24) * hour, `${Math.min(hours, 24)} h chart, waiting (target ≤ 30 ms)`, ['waiting']);
  chart(now - Math.min(hours, 24) * hour, `${Math.min(hours, 24)} h chart, the Queue view's 7 figures`, ['waiting', 'throughputPerMin', 'waitLatencyP50Ms', 'waitLatencyP95Ms', 'runLatencyP50Ms', 'runLatencyP95Ms', 'successRatio']);
  chart(now - hour, '1 h chart, waiting', ['waiting']);
  const info = store.info();
  store.close();
  console.log(`  file ${(info.sizeBytes / 1024 / 1024).toFixed(0)} MB (page_count × page_size; ${(fileBytes() / 1024 / 1024).toFixed(0)} MB on disk after close), ${(info.sizeBytes / (polls * queues)).toFixed(0)} bytes per queue sample`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
