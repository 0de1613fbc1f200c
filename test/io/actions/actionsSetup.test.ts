import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { actionLedgerFile, actionLogFile, actionsFromConfig } from '../../../src-main/io/actions/actionsSetup.js';
import { ActionDispatcher } from '../../../src-main/monitor/actionDispatcher.js';
import { started, startReceiver, t0 } from './decisions.js';

const dir = mkdtempSync(join(tmpdir(), 'task-status-setup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('actionsFromConfig', () => {
  it('no actions: nothing is built and no file is touched', () => {
    expect(actionsFromConfig({ connections: [] }, 'config.yaml', { dir, env: {}, now: () => t0, warn: () => {} })).toBeNull();
    expect(existsSync(join(dir, actionLogFile))).toBe(false);
  });

  it('runs write one JSON line each to the action log and the id to the ledger; failures are told too', async () => {
    const receiver = await startReceiver((call, res) => {
      if (call.url === '/down') res.writeHead(503).end('busy');
    });
    const warnings: string[] = [];
    const setup = actionsFromConfig({ actions: [
      { id: 'ok', kind: 'webhook', url: `${receiver.url}/ok` },
      { id: 'down', kind: 'webhook', url: `${receiver.url}/down` },
    ], actionSettings: { concurrency: 1 } }, 'config.yaml', { dir, env: {}, now: () => t0, warn: (l) => warnings.push(l) })!;
    expect(setup.concurrency).toBe(1);
    const dispatcher = new ActionDispatcher({ actions: setup.actions, ledger: setup.ledger, log: setup.log, concurrency: setup.concurrency, now: () => t0 });
    dispatcher.dispatch([started()]);
    await dispatcher.idle();
    await setup.flush();
    await receiver.close();
    const lines = readFileSync(join(dir, actionLogFile), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.actionId, l.event, l.outcome, l.detail])).toEqual([['ok', 'start', 'ok', 'HTTP 200'], ['down', 'start', 'failed', 'HTTP 503']]);
    expect(Object.keys(JSON.parse(readFileSync(join(dir, actionLedgerFile), 'utf8')) as object)).toHaveLength(2);
    expect(warnings).toEqual([`action down (webhook) start ${started().alert.key}: failed, HTTP 503 in ${lines[1]!.durationMs} ms`]);
  });
});
