import { describe, expect, it } from 'vitest';
import { defaultConnectionId, describeTarget, parseRedisUrl, redactUrl } from '../../../src-main/core/config/redisUrl.js';

/** Sentinel and Cluster URL spellings (core/config/redisUrl.ts), as Kombu, redis-sentinel-url and users write them. */
describe('Sentinel and Cluster URLs', () => {
  it('redis+sentinel://[user:pw@]h1,h2/master/db: the URL password is the master\'s, ?sentinel_password= the sentinels\'', () => {
    const t = parseRedisUrl('redis+sentinel://app:m%40ster@10.0.0.1,10.0.0.2:26380/mymaster/3?sentinel_password=s3nt');
    expect(t).toEqual({
      tls: false, host: '10.0.0.1', port: 26379, username: 'app', password: 'm@ster', db: 3,
      sentinel: { sentinels: [{ host: '10.0.0.1', port: 26379 }, { host: '10.0.0.2', port: 26380 }], masterName: 'mymaster', username: null, password: 's3nt' },
    });
    expect(describeTarget(t)).toBe('master "mymaster" via sentinels 10.0.0.1:26379, 10.0.0.2:26380');
    expect(defaultConnectionId(t)).toBe('mymaster@10.0.0.1:26379/3');
    expect(parseRedisUrl('redis+sentinel://[::1]:26379/mymaster').db).toBeNull();
  });

  it('Kombu\'s sentinel://…;sentinel://… with master_name, the database in a path', () => {
    const t = parseRedisUrl('sentinel://:pw@s1:26379/2;sentinel://:pw@s2:26379;sentinel://s3?master_name=cache');
    expect(t.sentinel?.sentinels).toEqual([{ host: 's1', port: 26379 }, { host: 's2', port: 26379 }, { host: 's3', port: 26379 }]);
    expect(t).toMatchObject({ password: 'pw', db: 2, sentinel: { masterName: 'cache', password: null } });
  });

  it('config fields add to or override the URL', () => {
    const t = parseRedisUrl('redis://:masterpw@h/0', { sentinels: ['a:1', 'b'], masterName: 'm', sentinelPassword: 'sp', db: 4 });
    // redis-rb / Sidekiq: the master's name is the URL's host.
    expect(parseRedisUrl('redis://:pw@cache-master/1', { sentinels: ['s1:26379'] })).toMatchObject({ db: 1, sentinel: { masterName: 'cache-master' } });
    expect(t).toMatchObject({ host: 'a', port: 1, password: 'masterpw', db: 4, sentinel: { sentinels: [{ host: 'a', port: 1 }, { host: 'b', port: 26379 }], masterName: 'm', password: 'sp' } });
    expect(parseRedisUrl('redis://h:7000', { cluster: true })).toMatchObject({ db: 0, cluster: { nodes: [{ host: 'h', port: 7000 }] } });
  });

  it('says what is missing or wrong', () => {
    expect(() => parseRedisUrl('redis+sentinel://h:26379')).toThrow("Sentinel needs the master's name");
    expect(() => parseRedisUrl('sentinel://h:26379')).toThrow('?master_name=mymaster');
    expect(() => parseRedisUrl('redis+sentinel://h:99999/m')).toThrow('port 99999 is out of range');
    expect(() => parseRedisUrl('redis+cluster://h:7000/2')).toThrow('a Redis Cluster has database 0 only');
    expect(() => parseRedisUrl('amqp://h')).toThrow('the scheme must be redis:// or rediss://, not amqp://');
  });

  it('redis+cluster:// seeds', () => {
    expect(parseRedisUrl('rediss+cluster://u:p@n1:7000,n2:7001')).toEqual({
      tls: true, host: 'n1', port: 7000, username: 'u', password: 'p', db: 0, cluster: { nodes: [{ host: 'n1', port: 7000 }, { host: 'n2', port: 7001 }] },
    });
  });

  it('never shows a password: every userinfo of a Kombu list, and password parameters', () => {
    expect(redactUrl('sentinel://:pw@s1:26379/2;sentinel://:pw@s2:26379?master_name=m&sentinel_password=sp'))
      .toBe('sentinel://:***@s1:26379/2;sentinel://:***@s2:26379?master_name=m&sentinel_password=***');
    expect(redactUrl('redis+sentinel://app:secret@h1,h2/m/0')).toBe('redis+sentinel://app:***@h1,h2/m/0');
  });
});
