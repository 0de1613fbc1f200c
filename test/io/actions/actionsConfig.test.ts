import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAppConfig } from '../../../src-main/core/config/configSchema.js';
import { FileActionLedger } from '../../../src-main/io/actions/actionLedger.js';
import { actionsOfConfig } from '../../../src-main/io/actions/actionsConfig.js';

describe('actions in the config file', () => {
  it('are read beside the connections, as written', () => {
    const document = {
      connections: [{ url: 'redis://127.0.0.1:6391/0' }],
      actions: [
        { id: 'scale', kind: 'command', command: ['/opt/hooks/scale.sh', 'up'], timeout: '30s', when: { rules: ['backlog'], on: ['start'] } },
        { kind: 'webhook', format: 'slack', urlEnv: 'SLACK_URL', when: { minLevel: 'error' } },
        { kind: 'alertmanager', url: 'http://alertmanager:9093', labels: { team: 'ops' } },
        { kind: 'retry', maxPerHour: 20, when: { rules: ['failureRatio'] } },
      ],
      actionSettings: { concurrency: 2 },
    };
    const config = parseAppConfig(document, 'config.yaml');
    expect(actionsOfConfig(config, 'config.yaml')).toEqual({ actions: document.actions, settings: { concurrency: 2 } });
    expect(actionsOfConfig({}, 'config.yaml')).toEqual({ actions: [], settings: {} });
  });

  it.each([
    [{ actions: [{ kind: 'pager' }] }, /^config.yaml: actions\.0\.kind: /],
    [{ actions: [{ kind: 'webhook' }] }, /^config.yaml: actions\.0: a webhook needs exactly one of url and urlEnv$/],
    [{ actions: [{ kind: 'webhook', url: 'ftp://x' }] }, /^config.yaml: actions\.0\.url: an http:\/\/ or https:\/\/ URL$/],
    [{ actions: [{ kind: 'command', command: 'x', timeout: 'soon' }] }, /^config.yaml: actions\.0\.timeout: a duration like "10s"$/],
    [{ actions: [{ kind: 'command', command: 'x', when: { levels: ['fatal'] } }] }, /^config.yaml: actions\.0\.when\.levels\.0: /],
    [{ actions: [{ kind: 'command', command: 'x', comand: 'y' }] }, /^config.yaml: actions\.0: Unrecognized key: "comand"$/],
    [{ actions: [{ id: 'a', kind: 'retry' }, { id: 'a', kind: 'retry' }] }, /^config.yaml: actions\.1\.id: duplicate action id "a"$/],
    [{ actionSettings: { concurrency: 0 } }, /^config.yaml: actionSettings\.concurrency: /],
  ])('refuses %j naming the field', (document, message) => {
    expect(() => actionsOfConfig(document, 'config.yaml')).toThrow(message);
  });
});

describe('FileActionLedger', () => {
  const dir = mkdtempSync(join(tmpdir(), 'task-status-ledger-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('remembers dispatched ids across instances (a restart)', () => {
    const path = join(dir, 'sub', 'ledger.json');
    const first = new FileActionLedger(path);
    first.add('hook/a@1/start', 1000);
    expect(new FileActionLedger(path).has('hook/a@1/start')).toBe(true);
    expect(new FileActionLedger(path).has('hook/a@1/end')).toBe(false);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ 'hook/a@1/start': 1000 });
  });

  it('drops entries older than 30 days as it adds', () => {
    const path = join(dir, 'old.json');
    const ledger = new FileActionLedger(path);
    ledger.add('old', 0);
    ledger.add('new', 31 * 24 * 3_600_000);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ new: 31 * 24 * 3_600_000 });
  });

  it('an unreadable file starts empty and says so', () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, '{not json');
    const warnings: string[] = [];
    expect(new FileActionLedger(path, (m) => warnings.push(m)).has('x')).toBe(false);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^action ledger .*bad\.json: unreadable \(.*\); starting empty$/);
  });
});
