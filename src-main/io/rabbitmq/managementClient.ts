import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { ApiError } from '../../contract/errors.js';
import type { RabbitApiTarget } from '../../core/config/rabbitUrl.js';
import { classifyHttpStatus, classifySocketError } from './rabbitErrors.js';
import { parseNode, parseOverview, parseQueue } from './managementParse.js';
import type { RabbitManagementReader, RabbitNodeStats, RabbitOverview, RabbitQueueListing } from './rabbitTypes.js';

export interface ManagementClientOptions {
  api: RabbitApiTarget;
  tls?: { caFile?: string; insecure?: boolean };
  /** Time limit of one request, in ms (default 5000). */
  timeoutMs?: number;
  /** Queues per page of `/api/queues` (default 500, RabbitMQ's largest). */
  pageSize?: number;
}

/** The columns of `/api/queues` a poll reads: counts, consumers, rates; never the heavy rest. */
export const queueColumns = [
  'name', 'vhost', 'type', 'arguments', 'messages_ready', 'messages_unacknowledged', 'consumers', 'head_message_timestamp',
  ...['publish', 'deliver', 'deliver_no_ack', 'get_no_ack', 'ack', 'redeliver'].map((r) => `message_stats.${r}_details.rate`),
].join(',');

export const nodeColumns = [
  'name', 'running', 'mem_used', 'mem_limit', 'mem_alarm', 'disk_free', 'disk_free_limit', 'disk_free_alarm',
  'fd_used', 'fd_total', 'sockets_used', 'sockets_total', 'proc_used', 'proc_total', 'uptime', 'partitions',
].join(',');

const overviewColumns = 'rabbitmq_version,management_version,disable_stats,cluster_name';
/** A body larger than this is refused rather than buffered (a listing page is far smaller). */
const maxBodyBytes = 64 * 1024 * 1024;

/**
 * The management HTTP API over one keep-alive agent (persistent connections, TLS set up once).
 * Only GET is sent, with `columns=` so a poll's cost is bounded by the number of queues, not by
 * the size of what RabbitMQ could say about them, and `/api/queues` is paginated.
 */
export class HttpRabbitManagement implements RabbitManagementReader {
  readonly url: string;
  readonly traffic = { requests: 0 };
  readonly #agent: http.Agent;
  readonly #timeoutMs: number;
  readonly #pageSize: number;
  #ca: Buffer | undefined | ApiError = undefined;

  constructor(readonly options: ManagementClientOptions) {
    this.url = options.api.url;
    this.#timeoutMs = options.timeoutMs ?? 5000;
    this.#pageSize = options.pageSize ?? 500;
    this.#agent = options.api.tls
      ? new https.Agent({ keepAlive: true, maxSockets: 4, rejectUnauthorized: !options.tls?.insecure })
      : new http.Agent({ keepAlive: true, maxSockets: 4 });
  }

  async listQueues(vhost: string, options: { statsDisabled?: boolean } = {}): Promise<RabbitQueueListing> {
    // With the statistics collector off, only this form still returns the three counts (live, 3.10).
    const extra: Record<string, string> = options.statsDisabled ? { disable_stats: 'true', enable_queue_totals: 'true' } : { columns: queueColumns };
    const path = `queues/${encodeURIComponent(vhost)}`;
    const query = (page: number): Record<string, string> => ({ page: String(page), page_size: String(this.#pageSize), sort: 'name', ...extra });
    const notFound = `no vhost "${vhost}"`;
    const first = pageOf(await this.#get(path, query(1), notFound));
    const rest: unknown[][] = [];
    if (first.pageCount > 1) {
      // The other pages in one more round trip, side by side.
      const pages = Array.from({ length: first.pageCount - 1 }, (_, i) => i + 2);
      rest.push(...(await Promise.all(pages.map(async (p) => pageOf(await this.#get(path, query(p), notFound)).items))));
    }
    // A queue declared or deleted while the pages were read shifts the others: one entry per name.
    const seen = new Set<string>();
    const queues = [first.items, ...rest].flat().flatMap((item) => {
      const queue = parseQueue(item, vhost);
      if (!queue || seen.has(queue.name)) return [];
      seen.add(queue.name);
      return [queue];
    });
    return { queues, pages: first.pageCount };
  }

  async nodes(): Promise<RabbitNodeStats[]> {
    const body = await this.#get('nodes', { columns: nodeColumns });
    return (Array.isArray(body) ? body : []).flatMap((n) => {
      const node = parseNode(n);
      return node ? [node] : [];
    });
  }

  async overview(): Promise<RabbitOverview> {
    return parseOverview(await this.#get('overview', { columns: overviewColumns }));
  }

  async close(): Promise<void> {
    this.#agent.destroy();
  }

  /** One GET of `/api/<path>`; the parsed JSON, or a coded error naming the endpoint. */
  async #get(path: string, query: Record<string, string>, notFound?: string): Promise<unknown> {
    const { api } = this.options;
    const endpoint = `/api/${path}`;
    const where = `RabbitMQ management API at ${api.url}`;
    const ca = this.#caFile();
    this.traffic.requests++;
    const search = new URLSearchParams(query).toString();
    const requestPath = `${api.basePath}${endpoint}${search ? `?${search}` : ''}`;
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = (api.tls ? https : http).request({
        host: api.host, port: api.port, path: requestPath, method: 'GET', agent: this.#agent,
        headers: { authorization: `Basic ${Buffer.from(`${api.username}:${api.password}`).toString('base64')}`, accept: 'application/json' },
        ...(api.tls ? { ca, rejectUnauthorized: !this.options.tls?.insecure, servername: isIp(api.host) ? undefined : api.host } : {}),
      }, (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBodyBytes) request.destroy(Object.assign(new Error(`${endpoint} answered more than ${maxBodyBytes} bytes`), { code: 'TOO_LARGE' }));
          else chunks.push(chunk);
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      });
      const timer = setTimeout(() => request.destroy(Object.assign(new Error('timed out'), { code: 'TIMEOUT' })), this.#timeoutMs);
      request.on('close', () => clearTimeout(timer));
      request.on('error', reject);
      request.end();
    }).catch((error: unknown) => {
      throw classifySocketError(error, where, { tls: api.tls, scheme: 'http' });
    });
    if (status !== 200) throw classifyHttpStatus(status, body, where, path.startsWith('queues/') ? `the vhost's queues (${endpoint})` : endpoint, api.username, notFound);
    try {
      return JSON.parse(body) as unknown;
    } catch {
      throw { code: 'INTERNAL', detail: `${where}: ${endpoint} did not answer JSON` } satisfies ApiError;
    }
  }

  #caFile(): Buffer | undefined {
    const file = this.options.tls?.caFile;
    if (!file || !this.options.api.tls) return undefined;
    if (this.#ca === undefined) {
      try {
        this.#ca = readFileSync(file);
      } catch (error) {
        this.#ca = { code: 'BAD_CONFIG', detail: `the CA file ${file} cannot be read (${(error as Error).message})` };
      }
    }
    if (!Buffer.isBuffer(this.#ca)) throw this.#ca;
    return this.#ca;
  }
}

function pageOf(body: unknown): { items: unknown[]; pageCount: number } {
  // A paginated answer is an object; an old server that ignores `page` answers the plain array.
  if (Array.isArray(body)) return { items: body, pageCount: 1 };
  const page = body as { items?: unknown; page_count?: unknown } | null;
  const items = Array.isArray(page?.items) ? page.items : [];
  const pageCount = typeof page?.page_count === 'number' && Number.isInteger(page.page_count) ? Math.min(page.page_count, 10_000) : 1;
  return { items, pageCount };
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}
