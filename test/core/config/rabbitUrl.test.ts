import { describe, expect, it } from 'vitest';
import { defaultRabbitConnectionId, parseRabbitUrl } from '../../../src-main/core/config/rabbitUrl.js';
import { resolveConnections } from '../../../src-main/core/config/resolveConnections.js';
import { resolveRabbitConnection } from '../../../src-main/core/config/resolveRabbit.js';
import { parseAppConfig } from '../../../src-main/core/config/configSchema.js';

const none = { redisUrls: [], configFile: null, env: {}, trayConfig: null };

describe('amqp:// URLs', () => {
  it('reads host, port, credentials and the vhost as RabbitMQ\'s URI spec does (the whole path, URL-encoded)', () => {
    expect(parseRabbitUrl('amqp://u%40x:p%2Fw@rabbit.example:5673/qlab%2Fv1')).toMatchObject({
      tls: false, host: 'rabbit.example', port: 5673, username: 'u@x', password: 'p/w', vhost: 'qlab/v1',
    });
    // "/" four ways: %2F, Celery's "//", an empty path, no path.
    for (const url of ['amqp://h/%2F', 'amqp://h//', 'amqp://h/', 'amqp://h']) expect(parseRabbitUrl(url).vhost).toBe('/');
    expect(parseRabbitUrl('amqp://h/prod').vhost).toBe('prod');
    // An unencoded slash is read as Kombu reads it.
    expect(parseRabbitUrl('amqp://h/qlab/v1').vhost).toBe('qlab/v1');
  });

  it('defaults: guest:guest, 5672 (5671 for amqps), the API on http://HOST:15672 with the same user', () => {
    const t = parseRabbitUrl('amqps://rabbit.example');
    expect(t).toMatchObject({ tls: true, port: 5671, username: 'guest', password: 'guest' });
    expect(t.api).toEqual({
      tls: false, host: 'rabbit.example', port: 15672, basePath: '', username: 'guest', password: 'guest',
      url: 'http://rabbit.example:15672', isExplicit: false,
    });
    expect(parseRabbitUrl('amqp://me:pw@[::1]:5672').api.url).toBe('http://[::1]:15672');
  });

  it('--rabbitmq-api: scheme, port, a reverse proxy\'s path prefix, its own user or the AMQP one', () => {
    expect(parseRabbitUrl('amqp://me:pw@h', 'https://proxy.example/rabbit/api/').api).toEqual({
      tls: true, host: 'proxy.example', port: 443, basePath: '/rabbit', username: 'me', password: 'pw',
      url: 'https://proxy.example:443/rabbit', isExplicit: true,
    });
    expect(parseRabbitUrl('amqp://me:pw@h', 'http://mon:secret@h:15673').api).toMatchObject({ username: 'mon', password: 'secret', port: 15673 });
  });

  it('refuses what it cannot read, naming why, never echoing the password', () => {
    expect(() => parseRabbitUrl('http://u:secret@h')).toThrow('the scheme must be amqp:// or amqps://, not http://');
    expect(() => parseRabbitUrl('amqp://u:secret@h/%E0%A4%A')).toThrow('the vhost is not valid URL encoding');
    expect(() => parseRabbitUrl('amqp://h', 'amqp://h:15672')).toThrow("the management API's scheme must be http:// or https://");
    expect(() => parseRabbitUrl('not a url')).toThrow('is not a URL');
    try {
      parseRabbitUrl('amqp://u:secret@h/%E0%A4%A');
    } catch (error) {
      expect(String((error as { detail: string }).detail)).not.toContain('secret');
    }
  });

  it('the default id is host:port, plus the encoded vhost unless it is /', () => {
    expect(defaultRabbitConnectionId(parseRabbitUrl('amqp://h:5672/%2F'))).toBe('h:5672');
    expect(defaultRabbitConnectionId(parseRabbitUrl('amqp://h/qlab%2Fv1'))).toBe('h:5672/qlab%2Fv1');
  });
});

describe('RabbitMQ connections in the config and on the command line', () => {
  it('passwordEnv replaces the URL\'s password for AMQP and the derived API, not an API URL with its own user', () => {
    const c = resolveRabbitConnection({ kind: 'rabbitmq', url: 'amqp://app@h/%2F', passwordEnv: 'PW', queues: ['a', 'a', 'b'] }, { PW: 's3cret' });
    expect([c.target.password, c.target.api.password, c.url, c.queues]).toEqual(['s3cret', 's3cret', 'amqp://app@h/%2F', ['a', 'b']]);
    const own = resolveRabbitConnection({ kind: 'rabbitmq', url: 'amqp://app@h', password: 'x', apiUrl: 'http://mon:m@h:15672' }, {});
    expect([own.target.password, own.target.api.username, own.target.api.password]).toEqual(['x', 'mon', 'm']);
    expect(() => resolveRabbitConnection({ kind: 'rabbitmq', url: 'amqp://h', passwordEnv: 'MISSING' }, {})).toThrow('MISSING');
  });

  it('a password kept only in the tray app\'s keychain is refused with how to pass it', () => {
    expect(() => resolveRabbitConnection({ kind: 'rabbitmq', id: 'prod', url: 'amqp://app@h', passwordEncrypted: 'AAAA' }, {}))
      .toThrow(/connection "prod" keeps its password in the tray app's keychain.*--rabbitmq amqp:\/\/USER:PASSWORD@host:5672\/vhost/);
  });

  it('the URL shown anywhere has no password', () => {
    const r = resolveConnections({ ...none, rabbitUrls: ['amqp://app:hunter2@h:5672/%2F'] });
    expect(r.connections.map((c) => [c.id, c.url])).toEqual([['h:5672', 'amqp://app:***@h:5672/%2F']]);
    expect(r.source).toBe('--rabbitmq');
  });

  it('--rabbitmq is repeatable; --rabbitmq-api goes one per --rabbitmq in order, or none', () => {
    const r = resolveConnections({ ...none, redisUrls: ['redis://r:6379'], rabbitUrls: ['amqp://a/%2F', 'amqp://b/v2'], rabbitApiUrls: ['http://a:15672', 'https://b:443'] });
    expect(r.connections.map((c) => [c.kind, c.id, c.kind === 'rabbitmq' ? c.target.api.url : null])).toEqual([
      ['redis', 'r:6379', null], ['rabbitmq', 'a:5672', 'http://a:15672'], ['rabbitmq', 'b:5672/v2', 'https://b:443'],
    ]);
    expect(r.source).toBe('--redis, --rabbitmq');
    expect(() => resolveConnections({ ...none, rabbitUrls: ['amqp://a', 'amqp://b'], rabbitApiUrls: ['http://a:15672'] }))
      .toThrow('1 --rabbitmq-api for 2 --rabbitmq: give one --rabbitmq-api per --rabbitmq, in the same order, or none');
    expect(resolveConnections({ ...none, rabbitUrls: ['amqp://a'] }).connections[0]).not.toHaveProperty('isOptional');
  });

  it('the local default pair: amqp://guest:guest@127.0.0.1:5672 is optional (shown only once read); a named one never is', () => {
    const r = resolveConnections(none);
    expect(r.connections.map((c) => [c.kind, c.url, c.kind === 'rabbitmq' ? c.isOptional : undefined]))
      .toEqual([['redis', 'redis://127.0.0.1:6379', undefined], ['rabbitmq', 'amqp://guest:***@127.0.0.1:5672', true]]);
    const env = resolveConnections({ ...none, env: { CELERY_BROKER_URL: 'amqp://guest:guest@127.0.0.1:5672//' } });
    expect(env.connections.map((c) => [c.kind, c.kind === 'rabbitmq' ? c.isOptional : undefined])).toEqual([['rabbitmq', undefined]]);
  });

  it('config file: kind rabbitmq with url, apiUrl, passwordEnv, tls, queues; unknown fields refused', () => {
    const config = parseAppConfig({
      connections: [{ kind: 'rabbitmq', id: 'prod', url: 'amqps://app@rabbit.example/prod', apiUrl: 'https://rabbit.example:15671', passwordEnv: 'PW', tls: { caFile: '/ca.pem' }, queues: ['orders'] }],
    }, 'cfg.yaml');
    const r = resolveConnections({ ...none, configFile: { path: 'cfg.yaml', config }, env: { PW: 'pw' } });
    expect(r.connections[0]).toMatchObject({ id: 'prod', kind: 'rabbitmq', tls: { caFile: '/ca.pem' }, queues: ['orders'], target: { tls: true, vhost: 'prod', password: 'pw', api: { tls: true, port: 15671 } } });
    expect(() => parseAppConfig({ connections: [{ kind: 'rabbitmq', url: 'amqp://h', vhost: 'x' }] }, 'cfg.yaml')).toThrow(/vhost/);
  });
});
