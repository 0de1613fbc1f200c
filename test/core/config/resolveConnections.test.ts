import { describe, expect, it } from 'vitest';
import { resolveConnections, type ConnectionInputs } from '../../../src-main/core/config/resolveConnections.js';

const none: ConnectionInputs = { redisUrls: [], configFile: null, env: {}, trayConfig: null };

describe('resolveConnections', () => {
  it('falls back to the local default', () => {
    const r = resolveConnections(none);
    expect(r.source).toBe('default');
    // The local RabbitMQ default rides along, shown only once it has been read (optional).
    expect(r.connections.map((c) => c.url)).toEqual(['redis://127.0.0.1:6379', 'amqp://guest:***@127.0.0.1:5672']);
    expect(r.pollIntervalMs).toBe(5000);
  });

  it('--redis wins over the environment and the tray config', () => {
    const r = resolveConnections({ ...none, redisUrls: ['redis://a:1/2'], env: { REDIS_URL: 'redis://b:1' },
      trayConfig: { path: 'tray.json', config: { connections: [{ kind: 'redis', url: 'redis://c:1' }] } } });
    expect(r.connections.map((c) => c.id)).toEqual(['a:1/2']);
    expect(r.source).toBe('--redis');
  });

  it('the environment comes before the tray config, which comes before the default', () => {
    expect(resolveConnections({ ...none, env: { CELERY_BROKER_URL: 'redis://b:1', RQ_REDIS_URL: 'amqp://x' } }).connections.map((c) => c.id)).toEqual(['b:1']);
    const tray = resolveConnections({ ...none, trayConfig: { path: 'tray.json', config: { connections: [{ id: 'prod', kind: 'redis', url: 'redis://c:1' }], pollInterval: '10s' } } });
    expect(tray.connections.map((c) => c.id)).toEqual(['prod']);
    expect(tray.pollIntervalMs).toBe(10_000);
  });

  it('takes a password from an environment variable and never shows it', () => {
    const r = resolveConnections({ ...none, configFile: { path: 'c.yaml', config: { connections: [{ kind: 'redis', url: 'redis://h:1', passwordEnv: 'PW' }] } }, env: { PW: 'secret' } });
    expect(r.connections[0]!.target.password).toBe('secret');
    expect(JSON.stringify(r.connections[0]!.url)).not.toContain('secret');
  });

  it('refuses a password kept only in the tray keychain, naming the connection and the way out', () => {
    expect(() => resolveConnections({ ...none, trayConfig: { path: 't', config: { connections: [{ id: 'prod', kind: 'redis', url: 'redis://h:1', passwordEncrypted: 'AAAA' }] } } }))
      .toThrow(/connection "prod" keeps its password in the tray app's keychain/);
    expect(() => resolveConnections({ ...none, configFile: { path: 'c', config: { connections: [{ kind: 'redis', url: 'redis://h', passwordEnv: 'MISSING' }] } } }))
      .toThrow('the environment variable MISSING that should hold its password is not set');
  });

  it('gives derived ids a suffix and refuses duplicate explicit ids', () => {
    expect(resolveConnections({ ...none, redisUrls: ['redis://h:1', 'redis://h:1'] }).connections.map((c) => c.id)).toEqual(['h:1', 'h:1#2']);
    expect(() => resolveConnections({ ...none, configFile: { path: 'c', config: { connections: [{ id: 'x', kind: 'redis', url: 'redis://a' }, { id: 'x', kind: 'redis', url: 'redis://b' }] } } }))
      .toThrow('two connections are called "x"');
  });

  it('--celery-backend fills the Celery result backend', () => {
    const r = resolveConnections({ ...none, redisUrls: ['redis://h:1/0'], celeryBackend: 'redis://h:1/1' });
    expect(r.connections[0]!.frameworks.celery).toEqual({ resultBackend: 'redis://h:1/1' });
  });
});
