import { describe, expect, it } from 'vitest';
import { parseNode, parseOverview, parseQueue } from '../../../src-main/io/rabbitmq/managementParse.js';
import { rabbitBrokerFigures } from '../../../src-main/io/rabbitmq/brokerFigures.js';

// Shapes as RabbitMQ 3.10.8 answered them with columns= (recorded from the private node).
describe('management API parsing: absent or odd fields are unknown, never errors', () => {
  it('a queue declared since the last statistics emission has only name and type', () => {
    expect(parseQueue({ name: 'fresh', type: 'classic' }, '/')).toEqual({ name: 'fresh', vhost: '/', type: 'classic', source: 'management' });
  });

  it('an idle queue has counts but no message_stats; head_message_timestamp null means none set', () => {
    expect(parseQueue({ consumers: 0, head_message_timestamp: null, messages_ready: 0, messages_unacknowledged: 0, name: 'idle', type: 'classic', vhost: 'qlab/v1', arguments: {} }, 'qlab/v1'))
      .toEqual({ name: 'idle', vhost: 'qlab/v1', type: 'classic', messagesReady: 0, messagesUnacknowledged: 0, consumers: 0, arguments: {}, source: 'management' });
  });

  it('rates from message_stats.*_details.rate; [] for message_stats (columns= on a queue without stats) is no rates', () => {
    const q = parseQueue({ name: 'busy', messages_ready: 3, message_stats: { ack_details: { rate: 1.5 }, publish_details: { rate: 2 }, deliver_no_ack_details: { rate: 0.0 } } }, '/');
    expect(q!.rates).toEqual({ ack: 1.5, publish: 2, deliverNoAck: 0 });
    expect(parseQueue({ name: 'x', message_stats: [] }, '/')!.rates).toBeUndefined();
    expect(parseQueue({ name: 'x', message_stats: { ack_details: { rate: 'fast' } } }, '/')!.rates).toBeUndefined();
  });

  it('head_message_timestamp is seconds and becomes ms', () => {
    expect(parseQueue({ name: 's', head_message_timestamp: 1700000000 }, '/')!.headMessageTimestampMs).toBe(1_700_000_000_000);
  });

  it('drops items without a name and ignores non-numbers', () => {
    expect(parseQueue({ messages_ready: 3 }, '/')).toBeNull();
    expect(parseQueue('queue', '/')).toBeNull();
    expect(parseQueue({ name: 'n', messages_ready: 'many', consumers: Number.NaN }, '/')).toEqual({ name: 'n', vhost: '/', source: 'management' });
    expect(parseNode({ running: true })).toBeNull();
    expect(parseNode({ name: 'rabbit@a', mem_used: null, partitions: ['rabbit@b', 3] })).toEqual({ name: 'rabbit@a', partitions: ['rabbit@b'] });
  });

  it('the overview: version, and disable_stats only when it is true', () => {
    expect(parseOverview({ rabbitmq_version: '3.10.8', management_version: '3.10.8', cluster_name: 'rabbit@h' }))
      .toEqual({ rabbitmqVersion: '3.10.8', managementVersion: '3.10.8', clusterName: 'rabbit@h', isStatsDisabled: false });
    expect(parseOverview({ disable_stats: true })).toEqual({ isStatsDisabled: true });
    expect(parseOverview(null)).toEqual({ isStatsDisabled: false });
  });

  it('broker figures: alarms in words, unknown alarms null with the reason, nodes unreadable null with the reason', () => {
    const nodes = [
      { name: 'rabbit@a', running: true, memAlarm: true, diskFreeAlarm: false, partitions: ['rabbit@b'] },
      { name: 'rabbit@b', running: false, memAlarm: false, diskFreeAlarm: true, partitions: [] },
    ];
    const f = rabbitBrokerFigures(5, { rabbitmqVersion: '3.10.8', isStatsDisabled: false }, nodes);
    expect(f.alarms).toEqual(['memory alarm on rabbit@a', 'rabbit@a is partitioned from rabbit@b', 'disk alarm on rabbit@b', 'rabbit@b is not running']);
    expect(f.nodes![1]).toEqual({
      name: 'rabbit@b', running: false, memoryUsedBytes: null, memoryLimitBytes: null, memoryAlarm: false, diskFreeBytes: null,
      diskFreeLimitBytes: null, diskFreeAlarm: true, fdUsedCount: null, fdTotalCount: null, socketsUsedCount: null,
      socketsTotalCount: null, processesUsedCount: null, processesTotalCount: null, uptimeMs: null, partitions: [],
    });
    const unknown = rabbitBrokerFigures(5, { isStatsDisabled: false }, [{ name: 'rabbit@a' }]);
    expect(unknown.alarms).toBeNull();
    expect(unknown.notes).toEqual({ version: 'the overview did not say', alarms: 'some nodes did not report their alarms' });
    const off = rabbitBrokerFigures(5, { rabbitmqVersion: '3.10.8', isStatsDisabled: true }, [{ name: 'rabbit@a', running: true }]);
    expect(off.notes).toEqual({
      nodes: 'RabbitMQ\'s statistics collector is off (management_agent.disable_metrics_collector): the nodes report no memory, disk or file descriptor figures',
      alarms: 'RabbitMQ\'s statistics collector is off: the nodes report no alarms',
    });
    const denied = rabbitBrokerFigures(5, { rabbitmqVersion: '3.10.8', isStatsDisabled: false }, 'node figures unreadable: Not monitor user');
    expect(denied).toEqual({ kind: 'rabbitmq', takenAt: 5, version: '3.10.8', nodes: null, alarms: null, notes: { nodes: 'node figures unreadable: Not monitor user', alarms: 'node figures unreadable: Not monitor user' } });
  });
});
