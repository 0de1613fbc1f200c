import type { Api, ApiEvents } from '../contract/api.js';
import type { AppConfig } from '../contract/config.js';
import { resolveConnections, type ResolvedConfig } from '../core/config/resolveConnections.js';
import { parseRedisUrl } from '../core/config/redisUrl.js';
import { systemClock, type Clock } from '../io/clock.js';
import { IoRedisPool } from '../io/redis/ioRedisPool.js';
import type { RedisServerConnection } from '../io/redis/redisReader.js';
import { ConnectionSession, type SessionOptions } from '../monitor/connectionSession.js';
import { RabbitConnectionSession } from '../monitor/rabbitSession.js';
import { HttpRabbitManagement } from '../io/rabbitmq/managementClient.js';
import { AmqplibQueueChecker } from '../io/rabbitmq/amqpChecker.js';
import { AmqplibEventListener } from '../io/rabbitmq/celeryEventsConsumer.js';
import { HttpRabbitTopology } from '../io/rabbitmq/celeryEventsTopology.js';
import { RabbitProbeStates } from '../monitor/rabbitProbeStates.js';
import type { RabbitProbe } from '../probes/rabbitProbe.js';
import { MonitorService } from '../monitor/monitorService.js';
import type { QueueProbe } from '../probes/probe.js';
import { probeRegistry, rabbitProbeRegistry } from '../probes/registry.js';
import type { HistoryRetention } from '../contract/history.js';
import { retentionFromConfig } from '../core/history/historyConfig.js';
import { defaultRetention } from '../core/history/historyFigures.js';
import { SqliteHistoryStore } from '../io/history/sqliteHistoryStore.js';
import { HistoryRecorder } from '../monitor/historyRecorder.js';
import { withHistory } from './historyHandlers.js';
import { createApiHandlers, type WriteOptions } from './apiHandlers.js';
import { createReadOnlySettingsHandlers } from './settingsHandlers.js';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { trayConfigPath } from '../io/config/trayConfigPath.js';
import { createActionLog } from '../io/writes/actionLog.js';
import { ioRedisWriterFactory } from '../io/writes/ioRedisWriter.js';
import { AlertPipeline, attachAlertPipeline, type AlertPipelineDeps, type AttachedAlerts } from '../monitor/alertPipeline.js';
import { alertsFromConfig } from '../core/alerts/alertsConfig.js';
import { createAlertHandlers } from './alertHandlers.js';
import { actionsFromConfig } from '../io/actions/actionsSetup.js';
import { apiTaskRetrier } from '../io/actions/apiTaskRetrier.js';
import { ActionDispatcher } from '../monitor/actionDispatcher.js';

export interface CreateAppOptions {
  /** Connections already resolved (the CLI), or the tray app's own config to resolve. */
  config: ResolvedConfig | AppConfig;
  /** Environment for `passwordEnv` when `config` is an AppConfig. */
  env?: Readonly<Record<string, string | undefined>>;
  clock?: Clock;
  probes?: readonly QueueProbe<unknown, unknown>[];
  rabbitProbes?: readonly RabbitProbe[];
  session?: Partial<SessionOptions>;
  /**
   * Stored history (SQLite): the tray app and `serve` pass the file (io/history/defaultHistoryPath.ts
   * names the default in the app's data folder); absent or `null`, none is kept (one-shot views).
   * `retention` overrides the config's `history` section and what the file keeps.
   */
  history?: { path: string; retention?: Partial<HistoryRetention> } | null;
  /** Where background problems (a history write that failed) are told; default stderr. */
  log?: (line: string) => void;
  /** The actions log (JSON lines); default `actions.log` beside the tray app's config.json. */
  actionLogPath?: string;
  /**
   * Alert rules, maintenance windows, state store and log. Default: the rules of `config` when it
   * is an AppConfig (its `rules:`), else the default rules; state in memory, no log.
   */
  alerts?: AlertPipelineDeps;
  /** Where incident actions keep their log and ledger (config `actions:`); default beside the tray app's config.json. */
  actionsDir?: string;
}

export interface TaskStatusApp {
  api: Api;
  monitor: MonitorService;
  /** Stored history; `history.isEnabled` is false when none is kept. */
  history: HistoryRecorder;
  config: ResolvedConfig;
  /** The alert pipeline, evaluated after every poll: subscribe with `alerts.onAlertDecision`. */
  alerts: AlertPipeline;
  /** Resolves once every poll so far has been evaluated by the alert rules. */
  alertsSettled(): Promise<void>;
  /** Stops polling and closes every connection. */
  close(): Promise<void>;
}

export const defaultSessionOptions: SessionOptions = {
  rateWindowMs: 600_000,
  discoveryIntervalMs: 60_000,
  detectIntervalMs: 300_000,
  sampleIntervalMs: 30_000,
  minFinished: 1,
};

/** Wires config → connections → probes → monitor → Api, for every face. */
export function createApp(options: CreateAppOptions): TaskStatusApp {
  const clock = options.clock ?? systemClock;
  const config = 'source' in options.config ? options.config
    : resolveConnections({ redisUrls: [], configFile: { path: 'the tray app config', config: options.config }, env: options.env ?? {}, trayConfig: null });
  const servers: { close(): Promise<void> }[] = [];
  const sessions = config.connections.map((connection) => {
    if (connection.kind === 'rabbitmq') {
      const management = new HttpRabbitManagement({ api: connection.target.api, tls: connection.tls });
      const amqp = new AmqplibQueueChecker({ target: connection.target, tls: connection.tls });
      servers.push(management, amqp);
      const probes = options.rabbitProbes ?? rabbitProbeRegistry;
      const sessionOptions = { ...defaultSessionOptions, ...options.session };
      // Celery on RabbitMQ: the vhost's topology, its events (one exclusive auto-delete queue), a Redis result backend.
      const backendUrl = connection.frameworks.celery?.resultBackend;
      let resultBackend: IoRedisPool | undefined;
      if (backendUrl) {
        const target = parseRedisUrl(backendUrl);
        resultBackend = new IoRedisPool({ target, label: `${target.host}:${target.port} (Celery result backend)` });
        servers.push(resultBackend);
      }
      const probeStates = new RabbitProbeStates({
        connection, probes, clock,
        topology: new HttpRabbitTopology({ api: connection.target.api, tls: connection.tls }),
        listener: new AmqplibEventListener({ target: connection.target, tls: connection.tls }),
        ...(resultBackend && backendUrl ? { resultBackend: resultBackend.reader(parseRedisUrl(backendUrl).db ?? 0) } : {}),
        rateWindowMs: sessionOptions.rateWindowMs, discoveryIntervalMs: sessionOptions.discoveryIntervalMs,
      });
      servers.push(probeStates);
      return new RabbitConnectionSession({ connection, management, amqp, clock, probes, options: sessionOptions, probeStates });
    }
    const server = new IoRedisPool({ target: connection.target, label: `${connection.target.host}:${connection.target.port}`, tls: connection.tls });
    servers.push(server);
    const backendUrl = connection.frameworks.celery?.resultBackend;
    let resultBackend: { server: RedisServerConnection; db: number } | undefined;
    if (backendUrl) {
      const target = parseRedisUrl(backendUrl);
      const backend = new IoRedisPool({ target, label: `${target.host}:${target.port} (Celery result backend)` });
      servers.push(backend);
      resultBackend = { server: backend, db: target.db ?? 0 };
    }
    return new ConnectionSession({
      connection, server, resultBackend, clock,
      probes: options.probes ?? probeRegistry,
      options: { ...defaultSessionOptions, ...options.session },
    });
  });
  const monitor = new MonitorService(sessions, clock, config.pollIntervalMs);
  const alerts = new AlertPipeline({
    pollIntervalMs: config.pollIntervalMs,
    ...(options.alerts ?? { rules: 'source' in options.config ? alertsFromConfig(undefined, 'defaults').rules : alertsFromConfig(options.config, 'the tray app config').rules }),
  });
  const attached: AttachedAlerts = attachAlertPipeline(monitor, alerts);
  const log = options.log ?? ((line: string) => void process.stderr.write(`task-status: ${line}\n`));
  // Actions on incidents (the tray config's `actions:`, io/actions/README.md): hooks, webhooks, Alertmanager.
  const actionsSetup = 'source' in options.config ? null : actionsFromConfig(options.config, 'the tray app config', {
    dir: options.actionsDir ?? dirname(trayConfigPath(process.platform, process.env, homedir())), env: options.env ?? {}, now: () => clock.now(), warn: log,
    // The window's own retry (obeys readOnly, logged with the other writes); `api` is built below.
    retrier: apiTaskRetrier({ listTasks: (query) => api.listTasks(query), runTaskAction: (request) => api.runTaskAction(request) }),
  });
  const actions = actionsSetup && new ActionDispatcher({ ...actionsSetup, now: () => clock.now() });
  const stopActions = actions?.follow(alerts) ?? (() => {});
  const retention = options.history?.retention
    ?? ('source' in options.config ? {} : retentionFromConfig(options.config.history, 'the tray app config', defaultRetention));
  let store: SqliteHistoryStore | null = null;
  if (options.history) {
    try {
      store = new SqliteHistoryStore({ path: options.history.path, pollIntervalMs: config.pollIntervalMs, retention });
    } catch (error) {
      // Monitoring goes on without history; getHistoryInfo says it is off.
      log(`history is off: ${options.history.path} cannot be opened (${(error as Error).message})`);
    }
  }
  const history = new HistoryRecorder({ monitor, store, clock, log });
  history.start();
  const events: { [E in keyof ApiEvents]: Api[E] } = {
    onDidChangeDashboard: (listener) => monitor.onDidChangeDashboard(listener),
    onDidChangeAlerts: (listener) => alerts.onDidChangeAlerts(listener),
  };
  // Write actions: off unless the config says `readOnly: false`; each opens its own connection.
  const writes: WriteOptions = {
    readOnly: config.readOnly !== false,
    openWriter: (id) => {
      const connection = config.connections.find((c) => c.id === id);
      return connection?.kind === 'redis'
        ? ioRedisWriterFactory({ target: connection.target, label: `${connection.target.host}:${connection.target.port}`, tls: connection.tls })
        : null;
    },
    log: createActionLog(options.actionLogPath ?? join(dirname(trayConfigPath(process.platform, process.env, homedir())), 'actions.log')),
  };
  const api: Api = { ...withHistory({ ...createApiHandlers(monitor, writes), ...createReadOnlySettingsHandlers(config), ...createAlertHandlers({ pipeline: alerts, monitor, clock }) }, history), ...events };
  return {
    api,
    monitor,
    history,
    config,
    alerts,
    alertsSettled: () => attached.settled(),
    close: async () => {
      await monitor.stop();
      await attached.settled();
      attached.detach();
      stopActions();
      // Runs in flight get a moment to finish and be logged; a slow webhook does not hold the quit.
      if (actions) await Promise.race([actions.idle(), clock.sleep(2000)]);
      await actionsSetup?.flush();
      history.stop();
      store?.close();
      await Promise.all(servers.map((s) => s.close()));
    },
  };
}
