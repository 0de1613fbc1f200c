import { describe, expect, it } from 'vitest';
import type { RabbitBrokerFigures, RabbitNodeFigures } from '../../../src-main/contract/dashboard.js';
import { renderRabbitBroker } from '../../../src-main/shells/cli/render/dashboardText.js';

const node = (over: Partial<RabbitNodeFigures>): RabbitNodeFigures => ({
  name: 'rabbit@a', running: true, memoryUsedBytes: 128 * 1024 * 1024, memoryLimitBytes: 4 * 1024 ** 3, memoryAlarm: false,
  diskFreeBytes: 50 * 1024 ** 3, diskFreeLimitBytes: 50_000_000, diskFreeAlarm: false, fdUsedCount: 40, fdTotalCount: 1024,
  socketsUsedCount: 1, socketsTotalCount: 829, processesUsedCount: 400, processesTotalCount: 1_048_576, uptimeMs: 1000, partitions: [], ...over,
});

// The dashboard's RabbitMQ broker line (NO_COLOR: picocolors leaves the text plain under vitest).
describe('renderRabbitBroker', () => {
  it('version, each node\'s memory of its limit, disk free with the alarm limit, fds, and alarms', () => {
    const b: RabbitBrokerFigures = { kind: 'rabbitmq', takenAt: 0, version: '3.10.8', nodes: [node({}), node({ name: 'rabbit@b', running: false, fdUsedCount: null, fdTotalCount: null })], alarms: [], notes: {} };
    expect(renderRabbitBroker(b).replace(/\x1b\[\d+m/g, '')).toBe(
      'rabbitmq 3.10.8 · rabbit@a: memory 128.0 MB of 4.0 GB, disk free 50.0 GB (alarm below 47.7 MB), fds 40/1024'
      + ' · rabbit@b (not running): memory 128.0 MB of 4.0 GB, disk free 50.0 GB (alarm below 47.7 MB), fds ? · alarms none');
  });

  it('alarms in words; ? when the nodes could not be read', () => {
    const alarmed: RabbitBrokerFigures = { kind: 'rabbitmq', takenAt: 0, version: '3.10.8', nodes: [node({ memoryAlarm: true })], alarms: ['memory alarm on rabbit@a'], notes: {} };
    expect(renderRabbitBroker(alarmed).replace(/\x1b\[\d+m/g, '')).toMatch(/ · alarms memory alarm on rabbit@a$/);
    const unread: RabbitBrokerFigures = { kind: 'rabbitmq', takenAt: 0, version: null, nodes: null, alarms: null, notes: { nodes: 'x' } };
    expect(renderRabbitBroker(unread).replace(/\x1b\[\d+m/g, '')).toBe('rabbitmq ? · nodes ? · alarms ?');
  });
});
