import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { ApiError } from '../../contract/errors.js';
import { describeTarget, type RedisTarget } from '../../core/config/redisUrl.js';
import { planClusterCommand, type Part, type Planned } from './clusterRouting.js';
import { classifyRedisError } from './redisErrors.js';
import {
  readOnlyClientSubcommands, readOnlyCommands,
  type RedisCommand, type RedisReader, type RedisReply, type RedisServerConnection,
} from './redisReader.js';
import { diagnoseSentinels } from './sentinelDiagnosis.js';
import { answersPlainRedis, speaksTls } from './tlsDiagnosis.js';

/** Errors that only say the connection went away: they never replace a cause already seen. */
const genericConnectionError = /Connection is closed|Stream isn't writeable/i;

export interface RedisPoolOptions {
  target: RedisTarget;
  /** For messages: `127.0.0.1:6379`. Sentinel and Cluster targets are named from the target itself. */
  label: string;
  tls?: { caFile?: string; insecure?: boolean };
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
}

/**
 * Traffic counters, for the monitor's own health figures and the benchmark. On a Redis Cluster a
 * batch is one pipeline per master it touches, sent in parallel: each counts as a round trip.
 * Connection set-up (AUTH, SELECT, CLIENT SETNAME, ioredis' ready check, the cluster check) is not counted.
 */
export interface RedisTraffic {
  commands: number;
  roundTrips: number;
}

/** How the server is reached: one server, a master found through Sentinel, or a Redis Cluster. */
export type RedisTopology = 'standalone' | 'sentinel' | 'cluster';

/**
 * Persistent ioredis connections to one Redis deployment: one per database (SELECT is per
 * connection) plus one subscriber for pub/sub. With Sentinel each connection asks the sentinels for
 * the master and follows a failover (ioredis' failover detector) without restart. A Redis Cluster,
 * named by the URL or detected at connect (`cluster_enabled:1`), is read through per-master
 * pipelines routed by slot (clusterRouting.ts). Nothing is written: every command goes through the
 * read-only allowlist.
 */
export class IoRedisPool implements RedisServerConnection {
  readonly traffic: RedisTraffic = { commands: 0, roundTrips: 0 };
  readonly #clients = new Map<number, Redis>();
  /**
   * The last error event per client. ioredis reports why a connection failed (WRONGPASS, a TLS
   * alert) only as an event and then rejects with "Connection is closed", so the cause is kept.
   */
  readonly #lastError = new WeakMap<Redis | Cluster, Error>();
  readonly #badDb = new WeakMap<Redis, string>();
  #subscriber: Redis | Cluster | null = null;
  readonly #handlers = new Map<string, (channel: string, message: Buffer) => void>();
  #topology: RedisTopology;
  /** A standalone URL may point at a cluster node: asked once, at the first connect. */
  #clusterChecked = false;
  #cluster: Cluster | null = null;
  #clusterSeeds: { host: string; port: number }[];

  constructor(readonly options: RedisPoolOptions) {
    const { target } = options;
    this.#topology = target.sentinel ? 'sentinel' : target.cluster ? 'cluster' : 'standalone';
    this.#clusterSeeds = target.cluster?.nodes ?? [{ host: target.host, port: target.port }];
  }

  /** How the deployment is reached (a standalone URL turns `cluster` once a cluster node answers). */
  get topology(): RedisTopology {
    return this.#topology;
  }

  get #where(): string {
    const { target, label } = this.options;
    if ((target.sentinel || target.cluster) && label === `${target.host}:${target.port}`) return describeTarget(target);
    if (this.#topology === 'cluster' && !target.cluster) return `${label} (cluster)`;
    return label;
  }

  #tlsOptions(host: string): ConnectionOptions | undefined {
    const { target, tls } = this.options;
    if (!target.tls) return undefined;
    return {
      // SNI takes a host name only (RFC 6066); an IP address is checked against the certificate's SAN.
      servername: isIP(host) ? undefined : host,
      ca: tls?.caFile ? readFileSync(tls.caFile) : undefined,
      rejectUnauthorized: !(tls?.insecure ?? false),
    };
  }

  #redisOptions(db: number): RedisOptions {
    const { target } = this.options;
    const common: RedisOptions = {
      username: target.username ?? undefined,
      password: target.password ?? undefined,
      db,
      // RESP2 keeps replies plain arrays and works through proxies that reject HELLO 3.
      protocol: 2,
      lazyConnect: true,
      // A monitor must fail fast while the broker is down, not queue commands for later.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: this.options.connectTimeoutMs ?? 5000,
      commandTimeout: this.options.commandTimeoutMs ?? 10_000,
      retryStrategy: (times) => Math.min(250 * times, 5000),
      connectionName: 'task-status',
    };
    if (target.sentinel) {
      const s = target.sentinel;
      const tls = this.#tlsOptions(s.sentinels[0]!.host);
      return {
        ...common,
        sentinels: s.sentinels.map((e) => ({ host: e.host, port: e.port })),
        name: s.masterName,
        role: 'master',
        sentinelUsername: s.username ?? undefined,
        sentinelPassword: s.password ?? undefined,
        // One pass over the sentinels per connect: a failed connect is reported, and retryStrategy tries again later.
        sentinelRetryStrategy: () => null,
        // Subscribe to +switch-master on the sentinels: a failover moves the connection at once.
        failoverDetector: true,
        updateSentinels: true,
        ...(tls ? { tls, sentinelTLS: tls, enableTLSForSentinelMode: true } : {}),
      };
    }
    return { ...common, host: target.host, port: target.port, tls: this.#tlsOptions(target.host) };
  }

  async #client(db: number): Promise<Redis> {
    let client = this.#clients.get(db);
    if (!client) {
      client = new Redis(this.#redisOptions(db));
      const created = client;
      created.on('error', (error: Error) => {
        if (!(genericConnectionError.test(error.message) && this.#lastError.has(created))) this.#lastError.set(created, error);
        // ioredis reports a failed SELECT only as an event and then stays on database 0: a
        // database the server does not have must never show database 0's keys under its name.
        if (/DB index is out of range|invalid DB index|SELECT is not allowed in cluster mode/i.test(error.message)) this.#badDb.set(created, error.message);
      });
      created.on('ready', () => this.#lastError.delete(created));
      this.#clients.set(db, client);
    }
    if (client.status === 'wait') {
      try {
        await this.#connect(client);
      } catch (error) {
        // A client dropped at the connect deadline is replaced by a fresh one at the next poll.
        if (this.#clients.get(db) === client && (client.status as string) === 'end') this.#clients.delete(db);
        throw await this.#connectFailure(client, error);
      }
      if (this.#topology === 'standalone' && !this.#clusterChecked) await this.#checkCluster(client);
    }
    if (this.#topology === 'cluster') return client;
    const badDb = this.#badDb.get(client);
    if (badDb) {
      throw { code: 'BAD_URL', detail: `${this.#where} has no database ${db} (${badDb})` } satisfies ApiError;
    }
    return client;
  }

  /**
   * ioredis bounds only the TCP (or TLS) connect by `connectTimeout`; a server that accepts and then
   * never answers (AUTH, SELECT, the ready check) would hold the connect for several command
   * timeouts. One server's whole set-up gets the connect timeout; then the client is dropped, so
   * that the next poll connects afresh.
   */
  async #connect(client: Redis): Promise<void> {
    const connecting = client.connect();
    if (this.#topology !== 'standalone') return connecting;
    const ms = this.options.connectTimeoutMs ?? 5000;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error(`connect timed out after ${ms} ms`), { code: 'ETIMEDOUT' })), ms);
    });
    try {
      await Promise.race([connecting, deadline]);
    } catch (error) {
      connecting.catch(() => undefined);
      if ((error as { code?: string }).code === 'ETIMEDOUT') {
        this.#lastError.set(client, error as Error);
        client.disconnect();
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  async #connectFailure(client: Redis, error: unknown): Promise<ApiError> {
    const failure = this.#classify(client, error);
    if (this.#topology === 'sentinel') {
      // ioredis says only "All sentinels are unreachable": ask them one by one which it is.
      const diagnosis = await diagnoseSentinels(this.options.target, {
        connectTimeoutMs: this.options.connectTimeoutMs ?? 5000, tls: this.#tlsOptions(this.options.target.host),
      });
      if (diagnosis) return diagnosis;
    }
    const { host, port, tls } = this.options.target;
    const probeMs = Math.min(this.options.connectTimeoutMs ?? 5000, 2000);
    // A TLS-only server closes a plain connection as soon as it is opened: ask the port.
    if (!tls && failure.code === 'TARGET_UNREACHABLE' && /closed the connection/.test(failure.detail)) {
      if (await speaksTls(host, port, probeMs)) {
        return { code: 'TLS_REQUIRED', detail: `${this.#where} expects TLS (it closed the plain connection and completed a TLS handshake): use rediss://` };
      }
      failure.detail += ' while connecting';
    }
    // A plain server never answers a TLS handshake (or answers it with plain text).
    const mismatchLike = failure.code === 'TIMEOUT' || (failure.code === 'TLS_REQUIRED' && !/certificate/.test(failure.detail))
      || /closed the connection|not as a Redis server/.test(failure.detail);
    if (tls && mismatchLike && await answersPlainRedis(host, port, probeMs)) {
      return { code: 'TLS_REQUIRED', detail: `${this.#where} does not speak TLS (it answered a plain connection as Redis does): use redis://` };
    }
    return failure;
  }

  /** `cluster_enabled:1`: the URL names one node of a Redis Cluster, which is then read as a cluster. */
  async #checkCluster(client: Redis): Promise<void> {
    this.#clusterChecked = true;
    let info: string;
    try {
      info = String(await client.info('cluster'));
    } catch {
      return; // INFO refused by an ACL: read it as one server (cluster: true in the config forces it).
    }
    if (!/^cluster_enabled:1/m.test(info)) return;
    this.#topology = 'cluster';
    const standalone = [...this.#clients.values()];
    this.#clients.clear();
    for (const c of standalone) c.disconnect();
  }

  #classify(client: Redis | Cluster, error: unknown): ApiError {
    const cause = this.#lastError.get(client);
    const generic = /Connection is closed|Stream isn't writeable|None of startup nodes|All sentinels are unreachable|Failed to refresh slots cache/i
      .test(String((error as Error)?.message));
    const chosen = generic && cause ? ((cause as Error & { lastNodeError?: Error }).lastNodeError ?? cause) : error;
    const failure = classifyRedisError(chosen, this.#where);
    const { username } = this.options.target;
    if (failure.code === 'AUTH_FAILED' && username && /refused the username or password/.test(failure.detail)) {
      failure.detail = failure.detail.replace('refused the username or password',
        `refused user "${username}" with that password (wrong password, no such user, or the user is off)`);
    }
    if (failure.code === 'TIMEOUT') {
      const commandTimedOut = /Command timed out/i.test(String((chosen as Error)?.message));
      const ms = commandTimedOut ? this.options.commandTimeoutMs ?? 10_000 : this.options.connectTimeoutMs ?? 5000;
      failure.detail = failure.detail.replace('did not answer in time', commandTimedOut ? `did not answer a command within ${ms / 1000} s` : `did not answer within ${ms / 1000} s while connecting`);
    }
    return failure;
  }

  /** A read-only reader bound to one database. */
  reader(db: number): RedisReader {
    return {
      db,
      batch: (commands) => this.#batch(db, commands),
      scanKeys: async (pattern, opts) => (await this.#scan(db, pattern, opts)).map((k) => k.toString('utf8')),
      scanKeysBuffer: (pattern, opts) => this.#scan(db, pattern, opts),
    };
  }

  async #batch(db: number, commands: readonly RedisCommand[]): Promise<(RedisReply | Error)[]> {
    for (const c of commands) assertReadOnly(c);
    if (commands.length === 0) return [];
    if (this.#topology !== 'cluster') {
      const client = await this.#client(db);
      // The first connect may have found a cluster node behind a redis:// URL.
      if (!this.#isCluster()) return this.#pipeline(client, commands);
    }
    this.#assertClusterDb(db);
    return this.#clusterBatch(commands);
  }

  async #pipeline(client: Redis, commands: readonly RedisCommand[], classifyAs: Redis | Cluster = client): Promise<(RedisReply | Error)[]> {
    const pipeline = client.pipeline();
    for (const c of commands) {
      if (c.binary) pipeline.callBuffer(c.cmd, ...c.args);
      else pipeline.call(c.cmd, ...c.args);
    }
    this.traffic.commands += commands.length;
    this.traffic.roundTrips += 1;
    let results: [Error | null, unknown][] | null;
    try {
      results = await pipeline.exec();
    } catch (error) {
      throw this.#classify(classifyAs, error);
    }
    if (!results) throw this.#classify(classifyAs, new Error('Connection is closed'));
    const failures = results.filter(([e]) => e !== null);
    if (failures.length === results.length && failures.length > 0) {
      const first = this.#classify(classifyAs, failures[0]![0]);
      // A whole batch failing on auth or connection is the connection's problem, not an item's.
      if (first.code !== 'INTERNAL' && first.code !== 'PERMISSION_DENIED') throw first;
    }
    return results.map(([e, v]) => (e ? e : (v as RedisReply)));
  }

  #isCluster(): boolean {
    return this.#topology === 'cluster';
  }

  #assertClusterDb(db: number): void {
    if (db !== 0) throw { code: 'BAD_URL', detail: `${this.#where} is a Redis Cluster, which has database 0 only (not ${db})` } satisfies ApiError;
  }

  async #clusterReady(): Promise<Cluster> {
    if (!this.#cluster) {
      const { target } = this.options;
      const cluster = new Cluster(this.#clusterSeeds.map((n) => ({ host: n.host, port: n.port })), {
        lazyConnect: true,
        enableOfflineQueue: false,
        scaleReads: 'master',
        clusterRetryStrategy: (times) => Math.min(250 * times, 5000),
        // Follow resharding and failovers between polls, not only on MOVED.
        slotsRefreshInterval: 30_000,
        slotsRefreshTimeout: this.options.connectTimeoutMs ?? 5000,
        redisOptions: {
          username: target.username ?? undefined,
          password: target.password ?? undefined,
          protocol: 2,
          maxRetriesPerRequest: 0,
          connectTimeout: this.options.connectTimeoutMs ?? 5000,
          commandTimeout: this.options.commandTimeoutMs ?? 10_000,
          connectionName: 'task-status',
          tls: this.#tlsOptions(target.host),
        },
      });
      cluster.on('error', (error: Error) => this.#lastError.set(cluster, error));
      cluster.on('node error', (error: Error) => this.#lastError.set(cluster, error));
      cluster.on('ready', () => this.#lastError.delete(cluster));
      this.#cluster = cluster;
    }
    const cluster = this.#cluster;
    if (cluster.status === 'wait' || cluster.status === 'end') {
      try {
        await cluster.connect();
      } catch (error) {
        throw this.#classify(cluster, error);
      }
    }
    if (cluster.status !== 'ready') throw this.#classify(cluster, new Error('Connection is closed'));
    return cluster;
  }

  /** The master connections by `host:port`, and the master owning each slot. */
  #masters(cluster: Cluster): Map<string, Redis> {
    return new Map(cluster.nodes('master').map((n) => [`${n.options.host}:${n.options.port}`, n]));
  }

  /**
   * One pipeline per master the batch touches, in parallel; replies put back in order. A MOVED
   * or ASK reply (resharding under way) is sent again through ioredis, which follows it.
   */
  async #clusterBatch(commands: readonly RedisCommand[]): Promise<(RedisReply | Error)[]> {
    const cluster = await this.#clusterReady();
    const masters = this.#masters(cluster);
    const masterKeys = [...masters.keys()].sort();
    if (masterKeys.length === 0) throw this.#classify(cluster, new Error('Connection is closed'));
    const plans: Planned[] = commands.map(planClusterCommand);
    interface Sent { node: string; part: Part; reply?: RedisReply | Error }
    const sent: Sent[][] = plans.map((plan) => {
      if ('refused' in plan) return [];
      return plan.parts.flatMap((part): Sent[] => {
        if (part.to === 'all') return masterKeys.map((node) => ({ node, part }));
        if (part.to === 'any') return [{ node: masterKeys[0]!, part }];
        const owner = cluster.slots[part.to.slot]?.[0];
        return [{ node: owner && masters.has(owner) ? owner : masterKeys[0]!, part }];
      });
    });
    const byNode = new Map<string, Sent[]>();
    for (const s of sent.flat()) byNode.set(s.node, [...(byNode.get(s.node) ?? []), s]);
    await Promise.all([...byNode.entries()].map(async ([node, items]) => {
      const replies = await this.#pipeline(masters.get(node)!, items.map((s) => s.part.command), cluster);
      items.forEach((s, i) => { s.reply = replies[i]; });
    }));
    const redirected = sent.flat().filter((s) => s.reply instanceof Error && /^(MOVED|ASK) /.test(s.reply.message));
    await Promise.all(redirected.map(async (s) => {
      const c = s.part.command;
      this.traffic.commands += 1;
      this.traffic.roundTrips += 1;
      try {
        s.reply = (await (c.binary ? cluster.callBuffer(c.cmd, ...c.args) : cluster.call(c.cmd, ...c.args))) as RedisReply;
      } catch (error) {
        s.reply = error as Error;
      }
    }));
    return plans.map((plan, i) => {
      if ('refused' in plan) return plan.refused;
      return plan.merge(sent[i]!.map((s) => (s.reply === undefined ? new Error('no reply') : s.reply)), sent[i]!.map((s) => s.node));
    });
  }

  async #scan(db: number, pattern: string, opts?: { type?: string; limit?: number }): Promise<Buffer[]> {
    if (this.#topology !== 'cluster') {
      const client = await this.#client(db);
      if (!this.#isCluster()) return this.#scanNode(client, client, pattern, opts, []);
    }
    this.#assertClusterDb(db);
    const cluster = await this.#clusterReady();
    // Every master holds its own slots' keys: discovery walks each of them.
    const found: Buffer[] = [];
    for (const [, node] of [...this.#masters(cluster).entries()].sort(([a], [b]) => a.localeCompare(b))) {
      await this.#scanNode(node, cluster, pattern, opts, found);
      if (opts?.limit !== undefined && found.length >= opts.limit) break;
    }
    return found;
  }

  async #scanNode(client: Redis, classifyAs: Redis | Cluster, pattern: string, opts: { type?: string; limit?: number } | undefined, found: Buffer[]): Promise<Buffer[]> {
    let cursor = '0';
    do {
      const args: (string | number)[] = [cursor, 'MATCH', pattern, 'COUNT', 1000];
      if (opts?.type) args.push('TYPE', opts.type);
      this.traffic.commands += 1;
      this.traffic.roundTrips += 1;
      let reply: [Buffer, Buffer[]];
      try {
        reply = (await client.callBuffer('SCAN', ...args)) as [Buffer, Buffer[]];
      } catch (error) {
        throw this.#classify(classifyAs, error);
      }
      cursor = reply[0].toString();
      for (const key of reply[1]) {
        found.push(key);
        if (opts?.limit !== undefined && found.length >= opts.limit) return found;
      }
    } while (cursor !== '0');
    return found;
  }

  /** INFO of the server (any database's connection will do); on a cluster, every master's. */
  async info(section?: string): Promise<string> {
    const [reply] = await this.#batch(0, [{ cmd: 'INFO', args: section ? [section] : [] }]);
    if (reply instanceof Error) throw classifyRedisError(reply, this.#where);
    return String(reply);
  }

  /**
   * The subscriber connection for PSUBSCRIBE. Pub/sub is server-wide (and cluster-wide: PUBLISH
   * reaches every node), so one serves every database; `onMessage` receives the channel and the
   * raw message of its patterns.
   */
  async subscribe(patterns: string[], onMessage: (channel: string, message: Buffer) => void): Promise<void> {
    if (patterns.length === 0) return;
    for (const p of patterns) this.#handlers.set(p, onMessage);
    if (!this.#subscriber) {
      if (this.#topology !== 'cluster') await this.#client(0);
      let sub: Redis | Cluster;
      if (this.#topology === 'cluster') {
        sub = (await this.#clusterReady()).duplicate(undefined, { enableOfflineQueue: true, lazyConnect: true });
      } else {
        sub = new Redis({ ...this.#redisOptions(0), enableOfflineQueue: true, maxRetriesPerRequest: null });
      }
      sub.on('error', () => {});
      sub.on('pmessageBuffer', (pattern: Buffer, channel: Buffer, message: Buffer) => {
        this.#handlers.get(pattern.toString())?.(channel.toString(), message);
      });
      this.#subscriber = sub;
      try {
        await sub.connect();
      } catch (error) {
        throw classifyRedisError(error, this.#where);
      }
    }
    this.traffic.commands += 1;
    this.traffic.roundTrips += 1;
    await this.#subscriber.psubscribe(...patterns);
  }

  async close(): Promise<void> {
    const all: (Redis | Cluster)[] = [...this.#clients.values(), ...(this.#subscriber ? [this.#subscriber] : []), ...(this.#cluster ? [this.#cluster] : [])];
    this.#clients.clear();
    this.#subscriber = null;
    this.#cluster = null;
    await Promise.all(all.map(async (c) => {
      try {
        if (c.status === 'wait' || c.status === 'end') c.disconnect();
        else await c.quit();
      } catch {
        c.disconnect();
      }
    }));
  }
}

function assertReadOnly(command: RedisCommand): void {
  const name = command.cmd.toUpperCase();
  const allowed = readOnlyCommands.has(name)
    && (name !== 'CLIENT' || readOnlyClientSubcommands.has(String(command.args[0] ?? '').toUpperCase()));
  if (!allowed) throw new Error(`refused to send ${name}: task-status only reads from a monitored Redis`);
}
