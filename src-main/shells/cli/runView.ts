import type { DashboardView } from '../../contract/dashboard.js';
import { createApp, type TaskStatusApp } from '../../bootstrap/createApp.js';
import { parseDuration } from '../../core/config/configSchema.js';
import { loadConfig, type ConnectionOptions } from './loadConfig.js';
import { exitCodes } from './messages.js';
import { progress } from './progress.js';

export interface ViewOptions extends ConnectionOptions {
  json?: boolean;
  watch?: boolean;
  window?: string;
}

/** What a view prints for one state of the monitor, and the exit code that goes with it. */
export type ViewOutput = { text: string; exitCode: number };

/**
 * Runs a view: one-shot (poll, listen for --window, poll again, print once) or --watch
 * (redraw after every poll until interrupted). Returns the process exit code.
 */
export async function runView(options: ViewOptions, defaultWindow: string, render: (app: TaskStatusApp, view: DashboardView) => Promise<ViewOutput>): Promise<number> {
  const config = loadConfig(options);
  const windowMs = parseDuration(options.window ?? defaultWindow, '--window');
  // A one-shot view reads its sample on every poll; --watch keeps the tray app's slower cadence.
  const app = createApp({ config, session: options.watch ? {} : { sampleIntervalMs: 0 } });
  try {
    if (options.watch) return await watch(app, options, render);
    const done = progress(`reading ${config.connections.length === 1 ? config.connections[0]!.url : `${config.connections.length} connections`}`);
    let view = await app.monitor.pollAll();
    if (windowMs > 0) {
      done(`listening ${Math.round(windowMs / 1000)} s for heartbeats and events (--window 0 to skip)`);
      await app.monitor.clock.sleep(windowMs);
      view = await app.monitor.pollAll();
    }
    done();
    const out = await render(app, view);
    if (out.text) process.stdout.write(`${out.text}\n`);
    return out.exitCode;
  } finally {
    await app.close();
  }
}

async function watch(app: TaskStatusApp, options: ViewOptions, render: (app: TaskStatusApp, view: DashboardView) => Promise<ViewOutput>): Promise<number> {
  const clear = process.stdout.isTTY && !options.json ? '\x1b[2J\x1b[H' : '';
  let drawing = Promise.resolve();
  app.monitor.onDidChangeDashboard((view) => {
    drawing = drawing.then(async () => {
      const out = await render(app, view);
      // --json --watch prints one JSON document per line (NDJSON) per poll.
      process.stdout.write(options.json ? `${JSON.stringify(JSON.parse(out.text))}\n` : `${clear}${out.text}\n`);
    });
  });
  app.monitor.start();
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await drawing;
  return exitCodes.printed;
}
