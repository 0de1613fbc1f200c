import { describe, expect, it } from 'vitest';
import { formatBytes } from '../../../../src-renderer/lib/format/bytes.js';

describe('formatBytes', () => {
  it('counts in powers of 1024, as Redis and RabbitMQ report memory', () => {
    expect([0, 812, 1024, 19_398_656, 20_971_520, 10_093_173_350].map(formatBytes)).toEqual(['0 B', '812 B', '1.0 KB', '18.5 MB', '20.0 MB', '9.4 GB']);
  });
});
