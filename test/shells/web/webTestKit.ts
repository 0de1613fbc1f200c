import { request as httpRequest } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Api } from '../../../src-main/contract/api.js';
import type { DashboardView, TaskView } from '../../../src-main/contract/dashboard.js';

/**
 * An in-process Api made for the transport's unit tests: it records the arguments each method
 * receives and lets a test push events. (End-to-end tests use the real product instead.)
 */
export function createTestApi() {
  const listeners = new Set<(event: DashboardView) => void>();
  const calls: Array<[string, unknown]> = [];
  const dashboard: DashboardView = { connections: [], generatedAt: 1_700_000_000_000 };
  const api: Api = {
    async getDashboard(args) {
      calls.push(['getDashboard', args]);
      return dashboard;
    },
    async getQueues(args) {
      calls.push(['getQueues', args]);
      return { queues: [] };
    },
    async getTask(args) {
      calls.push(['getTask', args]);
      if (args.id === 'missing') throw { code: 'TASK_NOT_FOUND', detail: 'no task missing on any connection', stack: 'x' };
      if (args.id === 'boom') throw new Error('could not reach redis://:hunter2@10.1.2.3:6379');
      return { task: { id: args.id } } as unknown as TaskView;
    },
    async listTasks(args) {
      calls.push(['listTasks', args]);
      return { query: args, items: [], total: 0, offset: 0, notes: [], actions: [], readOnly: true, takenAt: dashboard.generatedAt };
    },
    async getHistory(args) {
      calls.push(['getHistory', args]);
      return { fromAt: args.fromAt, toAt: args.toAt, resolution: 'raw', bucketMs: null, series: [] };
    },
    async getHistoryInfo(args) {
      calls.push(['getHistoryInfo', args]);
      return { enabled: false, path: null, sizeBytes: 0, retention: { rawMs: 86_400_000, minuteMs: 2_592_000_000, hourMs: 31_536_000_000, failedTaskMs: 2_592_000_000, taskMs: 86_400_000 }, pollIntervalMs: 5000, oldestAt: { raw: null, '1m': null, '1h': null } };
    },
    async runTaskAction(args) {
      calls.push(['runTaskAction', args]);
      throw { code: 'PERMISSION_DENIED', detail: 'read-only is on' };
    },
    async getSettings(args) {
      calls.push(['getSettings', args]);
      return { editable: false, source: 'test', connections: [], pollInterval: '5s', readOnly: true, retention: null, notifications: null, rules: null, keychain: null, warnings: [] };
    },
    async saveSettings(args) {
      calls.push(['saveSettings', args]);
      throw { code: 'PERMISSION_DENIED', detail: 'not editable here' };
    },
    async testConnection(args) {
      calls.push(['testConnection', args]);
      throw { code: 'PERMISSION_DENIED', detail: 'not here' };
    },
    async getAlerts(args) {
      calls.push(['getAlerts', args]);
      return { alerts: [], snoozes: [], maintenance: [], evaluatedAt: null };
    },
    async acknowledgeAlert(args) {
      calls.push(['acknowledgeAlert', args]);
      throw { code: 'BAD_USAGE', detail: `no pending or firing alert with key ${args.key}` };
    },
    async snoozeAlert(args) {
      calls.push(['snoozeAlert', args]);
      throw { code: 'BAD_USAGE', detail: 'no alerts here' };
    },
    onDidChangeAlerts() {
      return () => {};
    },
    onDidChangeDashboard(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { api, calls, dashboard, emit: (event: DashboardView) => listeners.forEach((l) => l(event)), listenerCount: () => listeners.size };
}

/** A renderer folder with an index and an asset, plus a file beside it that must never be served. */
export function createRendererDir(): { dir: string; remove(): void } {
  const root = mkdtempSync(join(tmpdir(), 'task-status-web-'));
  const dir = join(root, 'renderer');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>task-status</title>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1);');
  writeFileSync(join(root, 'secret.txt'), 'outside the renderer');
  return { dir, remove: () => rmSync(root, { recursive: true, force: true }) };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** node:http rather than fetch, because fetch will not send a chosen Host header or a raw path. */
export function send(port: number, options: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<RawResponse> {
  const headers: Record<string, string> = { host: `127.0.0.1:${port}`, ...options.headers };
  // An empty host stands for "no Host header at all".
  const setHost = headers.host !== '';
  if (!setHost) delete headers.host;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers, setHost },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** POST /api/<method> with a JSON body. */
export function post(port: number, path: string, body: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  return send(port, { method: 'POST', path, body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
}
