import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodePickle, isUndecodable } from '../../../src-main/probes/shared/pickle.js';

/** Pickles made by Debian's Python (the one RQ and Celery run on), base64 per name and protocol. */
function pythonPickles(source: string): Record<string, string> {
  const script = `import pickle, base64, json, datetime, decimal, sys\n${source}\n` +
    'print(json.dumps({k: base64.b64encode(v).decode() for k, v in out.items()}))';
  const run = spawnSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as Record<string, string>;
}

const b64 = (s: string) => Buffer.from(s, 'base64');

describe('decodePickle: plain data, every protocol', () => {
  const pickles = pythonPickles(`
value = {'i': 1, 'neg': -5, 'big': 2**40, 'negbig': -2**40, 'huge': 2**70, 'neghuge': -2**70, 'int32min': -2**31,
         'f': 1.5, 'nan': float('nan'), 'inf': float('-inf'), 's': 'héllo ☃', 'b': b'\\x00\\xffab', 'ba': bytearray(b'xy'),
         'l': [1, [2, 3]], 't': (None, True, False), 'set': {7}, 'fs': frozenset(), 'empty': {},
         1: 'int key', None: 'none key', 2.5: 'float key', '__proto__': 'plain key'}
out = {f'p{p}': pickle.dumps(value, protocol=p) for p in range(0, 6)}`);

  for (const [name, data] of Object.entries(pickles)) {
    it(`protocol ${name.slice(1)}: values as JSON-safe data`, () => {
      const v = decodePickle(b64(data)) as Record<string, unknown>;
      expect(isUndecodable(v)).toBe(false);
      expect(v).toEqual({
        i: 1, neg: -5, big: 2 ** 40, negbig: -(2 ** 40), huge: '1180591620717411303424', neghuge: '-1180591620717411303424',
        int32min: -(2 ** 31), f: 1.5, nan: 'NaN', inf: '-Infinity', s: 'héllo ☃',
        b: { $bytes: Buffer.from([0, 255, 97, 98]).toString('base64') }, ba: { $bytes: Buffer.from('xy').toString('base64') },
        l: [1, [2, 3]], t: [null, true, false], set: [7], fs: [], empty: {},
        1: 'int key', null: 'none key', '2.5': 'float key', ['__proto__']: 'plain key',
      });

      expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    });
  }
});

describe('decodePickle: what needs a class or is not a pickle', () => {
  const pickles = pythonPickles(`
class Point:
    def __init__(self): self.x = 1
loop = []
loop.append(loop)
out = {'datetime': pickle.dumps(('ok', datetime.datetime(2020, 1, 2)), protocol=4),
       'decimal': pickle.dumps(decimal.Decimal('1.5'), protocol=2),
       'object': pickle.dumps([Point()], protocol=5),
       'function': pickle.dumps(len, protocol=4),
       'loop': pickle.dumps(loop, protocol=4)}`);

  it('a datetime inside a tuple makes the whole value undecodable, naming the class', () => {
    const v = decodePickle(b64(pickles.datetime!), 'zlib+pickle', 99);
    expect(v).toEqual({ undecodable: true, encoding: 'zlib+pickle', bytes: 99,
      reason: 'not shown without executing it: it needs the Python class datetime.datetime' });
  });

  it('Decimal, user objects and functions are undecodable', () => {
    expect((decodePickle(b64(pickles.decimal!)) as { reason: string }).reason).toContain('decimal.Decimal');
    expect((decodePickle(b64(pickles.object!)) as { reason: string }).reason).toContain('__main__.Point');
    expect((decodePickle(b64(pickles.function!)) as { reason: string }).reason).toContain('builtins.len');
  });

  it('a list that contains itself is undecodable, not an endless walk', () => {
    expect((decodePickle(b64(pickles.loop!)) as { reason: string }).reason).toContain('refers to itself');
  });

  it('a pickle that would run os.system runs nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pickle-'));
    const marker = join(dir, 'pwned');
    try {
      const evil = Buffer.from(`cos\nsystem\n(S'touch ${marker}'\ntR.`, 'latin1');
      const v = decodePickle(evil);
      expect(isUndecodable(v)).toBe(true);
      expect((v as { reason: string }).reason).toContain('os.system');
      expect(existsSync(marker)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('memo references that multiply a value stop at a bound', () => {
    // [x]*? doubling 40 times through DUP: 2**40 leaves if walked naively.
    const parts = [Buffer.from([0x80, 4]), Buffer.from(']')];
    for (let i = 0; i < 40; i += 1) parts.push(Buffer.from([0x32, 0x86])); // DUP, TUPLE2
    parts.push(Buffer.from('.'));
    const v = decodePickle(Buffer.concat(parts));
    expect((v as { reason: string }).reason).toContain('too large');
  });

  it('bytes that are not a pickle are undecodable with their size', () => {
    expect(decodePickle(Buffer.from('{"json": true}'), 'pickle', 14)).toMatchObject({ undecodable: true, bytes: 14, encoding: 'pickle' });
    expect(decodePickle(Buffer.from([0x80, 4, 0x95]))).toMatchObject({ undecodable: true });
    expect(decodePickle(Buffer.alloc(0))).toMatchObject({ undecodable: true });
  });
});
