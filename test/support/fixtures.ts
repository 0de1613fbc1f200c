import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/**
 * A recorded Redis layout: every key of one database as a framework left it, plus what the
 * framework itself reported at that moment. Strings that are not valid UTF-8 are stored as
 * `{ "b64": "…" }`. Fixtures are named `<framework>/<version>-<scenario>.json`.
 */
export interface RedisFixture {
  framework: string;
  version: string;
  scenario: string;
  /** How the layout was made (which workers, which commands), for the reader. */
  description: string;
  /** Epoch ms at recording; tests probe with `now` = recordedAt (+ offsets the test names). */
  recordedAt: number;
  db: number;
  keys: FixtureKey[];
  /** Figures per queue name as the framework itself reported them at recordedAt. */
  expect: Record<string, Record<string, unknown>>;
}

export type FixtureValue = string | { b64: string };

export type FixtureKey =
  | { key: FixtureValue; type: 'string'; value: FixtureValue; pttl?: number }
  | { key: FixtureValue; type: 'list'; items: FixtureValue[]; pttl?: number }
  | { key: FixtureValue; type: 'set'; members: FixtureValue[]; pttl?: number }
  | { key: FixtureValue; type: 'zset'; members: [FixtureValue, string][]; pttl?: number }
  | { key: FixtureValue; type: 'hash'; fields: [FixtureValue, FixtureValue][]; pttl?: number }
  | { key: FixtureValue; type: 'stream'; entries: [string, FixtureValue[]][]; pttl?: number };

const fixtureRoot = join(import.meta.dirname, '..', 'fixtures', 'redis');

export function toBuffer(v: FixtureValue): Buffer {
  return typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v.b64, 'base64');
}

export function fromBuffer(b: Buffer): FixtureValue {
  const text = b.toString('utf8');
  return Buffer.from(text, 'utf8').equals(b) ? text : { b64: b.toString('base64') };
}

/** Every fixture of a framework (or all), for the shared contract suite. */
export function listFixtures(framework?: string): RedisFixture[] {
  const frameworks = framework ? [framework] : readdirSync(fixtureRoot);
  return frameworks.flatMap((fw) =>
    readdirSync(join(fixtureRoot, fw)).filter((f) => f.endsWith('.json')).sort()
      .map((f) => JSON.parse(readFileSync(join(fixtureRoot, fw, f), 'utf8')) as RedisFixture));
}

/** Writes a fixture's keys into a database of a private test Redis (never a shared one). */
export async function loadFixture(url: string, fixture: RedisFixture, db = fixture.db): Promise<void> {
  const redis = new Redis(url, { db, lazyConnect: true });
  await redis.connect();
  try {
    const p = redis.pipeline();
    for (const k of fixture.keys) {
      const key = toBuffer(k.key);
      p.del(key);
      switch (k.type) {
        case 'string': p.set(key, toBuffer(k.value)); break;
        case 'list': if (k.items.length) p.rpush(key, ...k.items.map(toBuffer)); break;
        case 'set': if (k.members.length) p.sadd(key, ...k.members.map(toBuffer)); break;
        case 'zset': for (const [m, s] of k.members) p.zadd(key, s, toBuffer(m)); break;
        case 'hash': for (const [f, v] of k.fields) p.hset(key, toBuffer(f), toBuffer(v)); break;
        case 'stream': for (const [id, fv] of k.entries) p.xadd(key, id, ...fv.map(toBuffer)); break;
      }
      if (k.pttl !== undefined && k.pttl > 0) p.pexpire(key, k.pttl);
    }
    await p.exec();
  } finally {
    redis.disconnect();
  }
}

/** Reads every key of a database into fixture form (used when recording from live workers). */
export async function dumpDatabase(url: string, db: number): Promise<FixtureKey[]> {
  const redis = new Redis(url, { db, lazyConnect: true });
  await redis.connect();
  const out: FixtureKey[] = [];
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scanBuffer(cursor, 'COUNT', 1000);
      cursor = next.toString();
      for (const keyBuf of keys) {
        const type = await redis.type(keyBuf);
        const pttl = await redis.pttl(keyBuf);
        const key = fromBuffer(keyBuf);
        const ttl = pttl > 0 ? { pttl } : {};
        if (type === 'string') out.push({ key, type, value: fromBuffer((await redis.getBuffer(keyBuf))!), ...ttl });
        else if (type === 'list') out.push({ key, type, items: (await redis.lrangeBuffer(keyBuf, 0, -1)).map(fromBuffer), ...ttl });
        else if (type === 'set') out.push({ key, type, members: (await redis.smembersBuffer(keyBuf)).map(fromBuffer).sort(), ...ttl });
        else if (type === 'zset') {
          const flat = await redis.zrangeBuffer(keyBuf, 0, -1, 'WITHSCORES');
          const members: [FixtureValue, string][] = [];
          for (let i = 0; i < flat.length; i += 2) members.push([fromBuffer(flat[i]!), flat[i + 1]!.toString()]);
          out.push({ key, type, members, ...ttl });
        } else if (type === 'hash') {
          const flat = await redis.hgetallBuffer(keyBuf);
          out.push({ key, type, fields: Object.entries(flat).map(([f, v]) => [f, fromBuffer(v)] as [FixtureValue, FixtureValue]), ...ttl });
        } else if (type === 'stream') {
          const entries = await redis.xrangeBuffer(keyBuf, '-', '+');
          out.push({ key, type, entries: entries.map(([id, fv]) => [id.toString(), fv.map(fromBuffer)] as [string, FixtureValue[]]), ...ttl });
        }
      }
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return out.sort((a, b) => JSON.stringify(a.key).localeCompare(JSON.stringify(b.key)));
}
