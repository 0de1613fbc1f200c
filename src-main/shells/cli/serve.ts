import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createApp } from '../../bootstrap/createApp.js';
import { ConfigError } from '../../core/config/configError.js';
import { startWebServer } from '../web/webServer.js';
import { isLoopbackHost } from '../web/loopback.js';
import { loadConfig, type ConnectionOptions } from './loadConfig.js';
import { exitCodes } from './messages.js';
import { defaultHistoryPath } from '../../io/history/defaultHistoryPath.js';
import { readConfigFile } from '../../io/config/readConfigFile.js';
import { retentionFromConfig } from '../../core/history/historyConfig.js';
import { defaultRetention } from '../../core/history/historyFigures.js';
import { alertFilesFor } from '../../io/alerts/alertFiles.js';
import { defaultAlertPaths } from '../../io/alerts/defaultAlertPaths.js';
import { cliAlertsConfig } from './check.js';

export interface ServeOptions extends ConnectionOptions {
  port: string;
  host: string;
  token?: string;
  /** `--history FILE`; `false` with `--no-history`; absent: the tray app's history file. */
  history?: string | false;
}

/** The built renderer, beside dist/ (installed) or src-main/ (tests): both are three levels up. */
const rendererDir = fileURLToPath(new URL('../../../out/renderer', import.meta.url));

/** `task-status serve`: poll continuously and serve the dashboard until interrupted. */
export async function runServe(options: ServeOptions): Promise<number> {
  if (!/^\d+$/.test(options.port) || Number(options.port) > 65535) throw new ConfigError('BAD_USAGE', `--port ${options.port} is not a port number`);
  if (!isLoopbackHost(options.host) && !options.token) {
    throw new ConfigError('BAD_USAGE', `refusing to serve on ${options.host}, which other machines can reach, without --token`);
  }
  if (!existsSync(rendererDir)) throw new ConfigError('BAD_CONFIG', `the dashboard is not built (${rendererDir} is missing): run npm run build`);
  const config = loadConfig(options);
  // The same file as the tray app's by default (SQLite WAL lets both write it); retention from
  // --config's `history` section, else what the file keeps (the tray app writes its settings there).
  const historyPath = options.history === false ? null : (options.history ?? defaultHistoryPath());
  const retention = options.config ? retentionFromConfig(readConfigFile(options.config).history, options.config, defaultRetention) : undefined;
  // Alert rules as `check` reads them; the log beside the tray app's, the state in a file of its own
  // (the tray app may run at the same time, and each keeps its own incidents).
  const alertPaths = defaultAlertPaths();
  const alerts = alertFilesFor(cliAlertsConfig(options), (m) => process.stderr.write(`task-status: ${m}\n`),
    { ...alertPaths, state: alertPaths.state.replace(/\.json$/, '.serve.json') });
  const app = createApp({ config, history: historyPath ? { path: historyPath, retention } : null, alerts });
  let server: Awaited<ReturnType<typeof startWebServer>>;
  try {
    server = await startWebServer({ api: app.api, host: options.host, port: Number(options.port), token: options.token, rendererDir });
  } catch (error) {
    await app.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new ConfigError('BAD_USAGE', `port ${options.port} on ${options.host} is already in use: choose another with --port (0 picks a free one)`);
    if (code === 'EACCES') throw new ConfigError('BAD_USAGE', `not allowed to listen on port ${options.port} on ${options.host}: choose a port above 1023`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new ConfigError('BAD_USAGE', `--host ${options.host} is not an address of this machine`);
    throw error;
  }
  app.monitor.start();
  const shown = options.token ? `${server.url}?token=${encodeURIComponent(options.token)}` : server.url;
  process.stdout.write(`task-status dashboard on ${shown} (watching ${config.connections.map((c) => c.url).join(', ')}; Ctrl-C to stop)\n`);
  process.stdout.write(app.history.isEnabled ? `history in ${historyPath}\n` : 'no history kept\n');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  await app.close();
  return exitCodes.printed;
}
