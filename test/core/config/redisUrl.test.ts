import { describe, expect, it } from 'vitest';
import { parseRedisUrl, redactUrl } from '../../../src-main/core/config/redisUrl.js';

describe('parseRedisUrl', () => {
  it('reads host, port, database, user and password', () => {
    expect(parseRedisUrl('redis://app:s%40cret@cache.internal:6380/4')).toEqual({
      tls: false, host: 'cache.internal', port: 6380, username: 'app', password: 's@cret', db: 4,
    });
  });
  it('a URL without a database means every database', () => {
    expect(parseRedisUrl('rediss://:pw@h').db).toBeNull();
    expect(parseRedisUrl('rediss://:pw@h').tls).toBe(true);
    expect(parseRedisUrl('redis://h:1/').db).toBeNull();
  });
  it('refuses other schemes and bad paths with the reason', () => {
    expect(() => parseRedisUrl('amqp://h')).toThrow('the scheme must be redis:// or rediss://, not amqp://');
    expect(() => parseRedisUrl('redis://h/x')).toThrow('the path must be a database number, not "/x"');
    expect(() => parseRedisUrl('nonsense')).toThrow('is not a URL');
  });
});

describe('redactUrl', () => {
  it('never shows a password', () => {
    expect(redactUrl('redis://app:secret@h:1/0')).toBe('redis://app:***@h:1/0');
    expect(redactUrl('redis://:secret@h')).toBe('redis://:***@h');
    expect(redactUrl('redis://h:1')).toBe('redis://h:1');
    expect(redactUrl('redis://user@h')).toBe('redis://user@h');
  });
});
