import { describe, expect, it } from 'vitest';
import { delayedRunAt, globEscape, priorityOf, splitMarkerKey } from '../../../src-main/probes/bullmq/bullmqKeys.js';
import { workerClientsOf } from '../../../src-main/probes/bullmq/bullmqClients.js';

describe('BullMQ key names', () => {
  it('splits marker keys from the right: prefixes may hold colons and hash tags, queue names may not', () => {
    expect(splitMarkerKey('bull:emails:id')).toEqual({ prefix: 'bull', queue: 'emails', marker: 'id' });
    expect(splitMarkerKey('{bull}:q:events')).toEqual({ prefix: '{bull}', queue: 'q', marker: 'events' });
    expect(splitMarkerKey('app:jobs:bull:q:meta')).toEqual({ prefix: 'app:jobs:bull', queue: 'q', marker: 'meta' });
    expect(splitMarkerKey('bull:emails:12')).toBeNull();
    expect(splitMarkerKey('emails:id')).toBeNull();
  });

  it('decodes scores as BullMQ encodes them (live values)', () => {
    expect(delayedRunAt(7357805859532800)).toBe(1796339321175);
    expect(delayedRunAt(1796339321175 * 4096 + 4095)).toBe(1796339321175);
    expect(priorityOf(12884901889)).toBe(3);
  });

  it('escapes glob characters of a prefix', () => {
    expect(globEscape('a*b?[c]\\')).toBe('a\\*b\\?\\[c\\]\\\\');
  });

  it('keeps worker connections of one prefix and database from CLIENT LIST', () => {
    const list = [
      'id=7 addr=127.0.0.1:5001 name=bull:ZW1haWxz:w:bw1 db=3 cmd=bzpopmin',
      'id=8 addr=127.0.0.1:5002 name=bull:ZW1haWxz db=3 cmd=info',
      'id=9 addr=127.0.0.1:5003 name=bull:ZW1haWxz:qe db=3 cmd=xread',
      'id=10 addr=127.0.0.1:5004 name=bull:ZW1haWxz db=4 cmd=info',
      'id=11 addr=127.0.0.1:5005 name=myapp:dGh1bWJz db=3 cmd=info',
      'id=12 addr=127.0.0.1:5006 name=bull:!!! db=3 cmd=info',
    ].join('\n');
    expect(workerClientsOf(list, 'bull', 3)).toEqual([
      { workerName: 'bw1', queue: 'emails', clientId: '7', addr: '127.0.0.1:5001', db: 3 },
      { workerName: null, queue: 'emails', clientId: '8', addr: '127.0.0.1:5002', db: 3 },
    ]);
    expect(workerClientsOf(list, 'myapp', 3).map((c) => c.queue)).toEqual(['thumbs']);
  });
});
