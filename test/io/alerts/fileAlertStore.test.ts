import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertTransition } from '../../../src-main/contract/alerts.js';
import { defaultAlertPaths } from '../../../src-main/io/alerts/defaultAlertPaths.js';
import { FileAlertStore } from '../../../src-main/io/alerts/fileAlertStore.js';
import { JsonLinesAlertLog } from '../../../src-main/io/alerts/jsonLinesAlertLog.js';
import { AlertPipeline } from '../../../src-main/monitor/alertPipeline.js';
import { connection, minute, queue, rule, t0 } from '../../core/alerts/alertFixtures.js';

const folders: string[] = [];
function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'task-status-alerts-'));
  folders.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const backlog = (waiting: number, at: number) => [connection(at, { queues: [queue('default', { waiting, takenAt: at })] })];

describe('FileAlertStore and JsonLinesAlertLog', () => {
  it('state survives a restart (nothing notified twice) and every transition is one JSON line', () => {
    const dir = folder();
    const deps = () => ({ rules: [rule('backlog')], store: new FileAlertStore(join(dir, 'sub', 'alerts-state.json')), log: new JsonLinesAlertLog(join(dir, 'sub', 'alerts.log')) });
    const first = new AlertPipeline(deps());
    const told: string[] = [];
    first.onAlertDecision((d) => told.push(`first run: ${d.reason}`));
    first.evaluate(backlog(1500, t0), t0);
    const second = new AlertPipeline(deps());
    second.onAlertDecision((d) => told.push(`second run: ${d.reason}`));
    second.evaluate(backlog(1600, t0 + minute), t0 + minute);
    second.evaluate(backlog(10, t0 + 2 * minute), t0 + 2 * minute);
    expect(told).toEqual(['first run: first', 'second run: resolved']);
    const lines = readFileSync(join(dir, 'sub', 'alerts.log'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as AlertTransition & { time: string });
    expect(lines.map((l) => [l.time, l.ruleId, l.from, l.to, l.value])).toEqual([
      [new Date(t0).toISOString(), 'backlog', 'inactive', 'firing', 1500],
      [new Date(t0 + 2 * minute).toISOString(), 'backlog', 'firing', 'resolved', 10],
    ]);
    expect(lines[0]).toMatchObject({ key: 'backlog{connection="prod",framework="rq",namespace="db0",queue="default"}', level: 'warning', labels: { queue: 'default' } });
    expect(readdirSync(join(dir, 'sub')).sort()).toEqual(['alerts-state.json', 'alerts.log']);
  });

  it('a config reload (new pipeline, edited rules, same file): the open incident carries on under its new threshold, not told twice', () => {
    const path = join(folder(), 'state.json');
    const before = new AlertPipeline({ rules: [rule('backlog'), rule('oldestWaiting')], store: new FileAlertStore(path) });
    before.evaluate(backlog(1500, t0), t0);
    const after = new AlertPipeline({ rules: [rule('backlog', { condition: { figure: 'waiting', op: '>', value: 1200 } })], store: new FileAlertStore(path) });
    const told: string[] = [];
    after.onAlertDecision((d) => told.push(`${d.alert.ruleId} ${d.reason}`));
    after.evaluate(backlog(1300, t0 + minute), t0 + minute);
    expect([told, after.firing().map((a) => [a.ruleId, a.threshold, a.firedAt])]).toEqual([[], [['backlog', 1200, t0]]]);
  });

  it('an incident that ended while the app was down is told resolved at the first evaluation after the restart', () => {
    const path = join(folder(), 'state.json');
    new AlertPipeline({ rules: [rule('backlog')], store: new FileAlertStore(path) }).evaluate(backlog(1500, t0), t0);
    const restarted = new AlertPipeline({ rules: [rule('backlog')], store: new FileAlertStore(path) });
    const told: string[] = [];
    restarted.onAlertDecision((d) => told.push(d.reason));
    restarted.evaluate(backlog(3, t0 + 60 * minute), t0 + 60 * minute);
    expect(told).toEqual(['resolved']);
  });

  it('no file yet, or a damaged one: no state, and the error is reported', () => {
    const dir = folder();
    const errors: string[] = [];
    expect(new FileAlertStore(join(dir, 'none.json'), (m) => errors.push(m)).load()).toBeNull();
    writeFileSync(join(dir, 'bad.json'), '{"version":1,"alerts":[');
    expect(new FileAlertStore(join(dir, 'bad.json'), (m) => errors.push(m)).load()).toBeNull();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('unreadable');
  });

  it('acknowledgements and snoozes are saved', () => {
    const dir = folder();
    const store = new FileAlertStore(join(dir, 's.json'));
    const pipeline = new AlertPipeline({ rules: [rule('backlog')], store });
    pipeline.evaluate(backlog(1500, t0), t0);
    pipeline.acknowledge(pipeline.firing()[0]!.key, t0 + 5);
    pipeline.snooze({ ruleId: 'backlog', until: t0 + 60 * minute }, t0 + 6);
    const saved = new FileAlertStore(join(dir, 's.json')).load()!;
    expect([saved.alerts[0]!.acknowledgedAt, saved.snoozes[0]!.until, saved.evaluatedAt]).toEqual([t0 + 5, t0 + 60 * minute, t0]);
  });

  it('default paths: the app data folder, beside config.json', () => {
    expect(defaultAlertPaths('linux', {}, '/home/u')).toEqual({ state: '/home/u/.config/task-status/alerts-state.json', log: '/home/u/.config/task-status/alerts.log' });
    expect(defaultAlertPaths('darwin', {}, '/Users/u').log).toBe('/Users/u/Library/Application Support/task-status/alerts.log');
  });
});
