import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src-main/bootstrap/createApp.js';
import { defaultHistoryPath } from '../../src-main/io/history/defaultHistoryPath.js';
import { tempDir } from '../io/history/historyFixtures.js';

/** How createApp opens history: from the tray app's config, off, or unopenable (no broker needed). */
let temp: ReturnType<typeof tempDir>;
beforeEach(() => { temp = tempDir(); });
afterEach(() => temp.remove());

const day = 86_400_000;

describe('history in createApp', () => {
  it('the tray config\'s history section sets retention, kept in the file for the next opening', async () => {
    const path = temp.file('data/history.db');
    const app = createApp({ config: { connections: [], history: { raw: '2h', minute: '7d', failedTasks: '90d' } }, history: { path } });
    expect(await app.api.getHistoryInfo({})).toMatchObject({
      enabled: true, path, retention: { rawMs: 2 * 3_600_000, minuteMs: 7 * day, hourMs: 365 * day, failedTaskMs: 90 * day, taskMs: day },
      oldestAt: { raw: null, '1m': null, '1h': null },
    });
    await app.close();
    // `serve` without a history section: what the file keeps.
    const again = createApp({ config: { connections: [], pollIntervalMs: 5000, source: 'test' }, history: { path } });
    expect((await again.api.getHistoryInfo({})).retention.rawMs).toBe(2 * 3_600_000);
    await again.close();
  });

  it('a wrong history section is a BAD_CONFIG naming the member', () => {
    expect(() => createApp({ config: { connections: [], history: { raw: '2 days' } }, history: { path: temp.file('h.db') } }))
      .toThrow(/history\.raw: "2 days" is not a duration/);
  });

  it('without a file no history is kept; a file that cannot be opened is told and monitoring goes on without', async () => {
    const off = createApp({ config: { connections: [], pollIntervalMs: 5000, source: 'test' } });
    expect(await off.api.getHistoryInfo({})).toMatchObject({ enabled: false, path: null, sizeBytes: 0 });
    expect(await off.api.getHistory({ connection: 'x', queue: 'q', figures: ['waiting'], fromAt: 1, toAt: 2 }))
      .toEqual({ fromAt: 1, toAt: 2, resolution: 'raw', bucketMs: null, series: [] });
    await off.close();

    const dir = temp.file('a-folder');
    mkdirSync(dir);
    const logs: string[] = [];
    const broken = createApp({ config: { connections: [], pollIntervalMs: 5000, source: 'test' }, history: { path: dir }, log: (l) => logs.push(l) });
    expect((await broken.api.getHistoryInfo({})).enabled).toBe(false);
    expect(logs).toEqual([expect.stringMatching(new RegExp(`^history is off: ${dir} cannot be opened`))]);
    await broken.close();
  });

  it('the default file sits beside the tray app\'s config.json', () => {
    expect(defaultHistoryPath('linux', { XDG_CONFIG_HOME: '/x/cfg' }, '/home/u')).toBe('/x/cfg/task-status/history.db');
    expect(defaultHistoryPath('linux', {}, '/home/u')).toBe('/home/u/.config/task-status/history.db');
    expect(defaultHistoryPath('darwin', {}, '/Users/u')).toBe('/Users/u/Library/Application Support/task-status/history.db');
    expect(defaultHistoryPath('win32', { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'C:\\Users\\u').replaceAll('\\', '/'))
      .toBe(join('C:/Users/u/AppData/Roaming', 'task-status', 'history.db').replaceAll('\\', '/'));
  });
});
