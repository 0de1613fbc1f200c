import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { createApp } from '../src-main/bootstrap/createApp.js';
import { resolveConnections } from '../src-main/core/config/resolveConnections.js';
import { ConnectionSession } from '../src-main/monitor/connectionSession.js';
import type { CeleryEventState } from '../src-main/probes/celery/celeryEventState.js';

/**
 * The Celery event stream, in its own process so that its RSS and CPU time are the monitor's
 * alone: the real monitor (createApp, one connection, a poll every 5 s as the tray app polls)
 * listens while bench/eventPublisher.js publishes `rate` events/s for `seconds`. Prints the
 * events processed per second, the CPU it took (one core = 100%), and RSS once retention is
 * reached (the 50,000-task bound fills in about 10 s at 20,000 events/s) and at the end.
 */
const [url, rateArg, secondsArg] = process.argv.slice(2);
const rate = Number(rateArg);
const seconds = Number(secondsArg);
const publisherScript = fileURLToPath(new URL('./eventPublisher.js', import.meta.url));

function rssMb(): number {
  global.gc?.();
  return process.memoryUsage().rss / 1024 / 1024;
}

// A Celery namespace for detection: the default queue's kombu binding.
const seed = new Redis(url!, { db: 0 });
await seed.sadd('_kombu.binding.celery', 'celery\x06\x16\x06\x16celery');
await seed.quit();

const config = resolveConnections({ redisUrls: [`${url}/0`], configFile: null, env: {}, trayConfig: null });
const app = createApp({ config });
const session = app.monitor.sessions[0];
if (!(session instanceof ConnectionSession)) throw new Error('a Redis connection was expected');
const first = await session.poll();
if (first.status !== 'ok' || !first.frameworks.includes('celery')) throw new Error(`celery not detected: ${first.statusReason?.detail ?? first.frameworks.join(',')}`);
const events = () => session.targets.find((t) => t.ns.framework === 'celery')!.events as CeleryEventState;

const publisher = spawn(process.execPath, [publisherScript, url!, String(rate), String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
let publishedText = '';
publisher.stdout.on('data', (d: Buffer) => { publishedText += d.toString(); });
const publisherDone = new Promise<void>((resolve) => publisher.on('close', () => resolve()));

const startedAt = performance.now();
const cpuStart = process.cpuUsage();
const pollDurations: number[] = [];
let retentionRss: number | null = null;
let retentionAt = 0;
let done = false;
void publisherDone.then(() => { done = true; });
let lastPollAt = performance.now();
let firstEventAt: number | null = null;
while (!done) {
  await new Promise((r) => setTimeout(r, 100));
  if (firstEventAt === null && events().taskEventCount > 0) firstEventAt = performance.now() - 50;
  if (performance.now() - lastPollAt < 5000) continue;
  lastPollAt = performance.now();
  await session.poll();
  pollDurations.push(performance.now() - lastPollAt);
  if (retentionRss === null && events().tasks.size >= events().limits.maxTasks * 0.9) {
    retentionRss = rssMb();
    retentionAt = (performance.now() - startedAt) / 1000;
  }
}
// Let the subscriber drain what is still in flight; the rate counts until the last event.
let last = -1;
let lastChangeAt = performance.now();
while (events().taskEventCount !== last) {
  last = events().taskEventCount;
  lastChangeAt = performance.now();
  await new Promise((r) => setTimeout(r, 100));
}
// From the first event heard (±50 ms: checked every 100 ms) to the last.
const wallS = (lastChangeAt - (firstEventAt ?? startedAt)) / 1000;
const cpu = process.cpuUsage(cpuStart);
const cpuS = (cpu.user + cpu.system) / 1e6;
const processed = events().taskEventCount;
const published = Number(publishedText.trim());
const endRss = rssMb();
pollDurations.sort((a, b) => a - b);
const growth = retentionRss === null ? null : ((endRss - retentionRss) / retentionRss) * 100;
console.log([
  `celery events  ${rate}/s for ${seconds} s`,
  `published ${published}  processed ${processed} (${published === processed ? 'none lost' : `${published - processed} lost`})`,
  `${Math.round(processed / wallS)} events/s over ${wallS.toFixed(1)} s`,
  `monitor CPU ${((cpuS / wallS) * 100).toFixed(0)}% of one core (${Math.round(processed / cpuS)} events per CPU-second)`,
  `poll p50 ${pollDurations[Math.floor(pollDurations.length / 2)]?.toFixed(1)} ms max ${pollDurations.at(-1)?.toFixed(1)} ms with ${events().tasks.size} tasks kept`,
  retentionRss === null ? 'retention bound not reached'
    : `RSS ${retentionRss.toFixed(0)} MB at retention (${retentionAt.toFixed(0)} s) → ${endRss.toFixed(0)} MB at the end (${growth! >= 0 ? '+' : ''}${growth!.toFixed(1)}%)`,
].join('\n  '));
await app.close();
