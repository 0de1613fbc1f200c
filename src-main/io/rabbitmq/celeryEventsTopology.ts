import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { ApiError } from '../../contract/errors.js';
import type { RabbitApiTarget } from '../../core/config/rabbitUrl.js';
import type { RabbitTopology, RabbitTopologyReader } from './celeryEventsTypes.js';
import { classifyHttpStatus, classifySocketError } from './rabbitErrors.js';

export interface TopologyReaderOptions {
  api: RabbitApiTarget;
  tls?: { caFile?: string; insecure?: boolean };
  timeoutMs?: number;
}

/** A body larger than this is refused (a vhost's bindings are far smaller). */
const maxBodyBytes = 64 * 1024 * 1024;

/**
 * The topology of a vhost from the management API, for telling Celery's queues apart on the
 * discovery cadence (never per poll): exchanges (is `celeryev` / `celery.pidbox` there), bindings
 * (which queues the `celery` exchange routes to), and consumers with their connection (a worker
 * consumes its task queues and its `<node>.celery.pidbox` queue on one connection). Only GET,
 * with `columns=` so the answers stay small; the three go side by side in one round trip.
 */
export class HttpRabbitTopology implements RabbitTopologyReader {
  readonly traffic = { requests: 0 };
  readonly #agent: http.Agent;

  constructor(readonly options: TopologyReaderOptions) {
    this.#agent = options.api.tls
      ? new https.Agent({ keepAlive: true, maxSockets: 3, rejectUnauthorized: !options.tls?.insecure })
      : new http.Agent({ keepAlive: true, maxSockets: 3 });
  }

  async readTopology(vhost: string): Promise<RabbitTopology> {
    const v = encodeURIComponent(vhost);
    const [exchanges, bindings, consumers] = await Promise.all([
      this.#get(`exchanges/${v}`, 'name,type'),
      this.#get(`bindings/${v}`, 'source,destination,destination_type,routing_key'),
      this.#get(`consumers/${v}`, 'queue.name,channel_details.connection_name'),
    ]);
    const list = (body: unknown): Record<string, unknown>[] => (Array.isArray(body) ? body.filter(isRecord) : []);
    return {
      exchanges: list(exchanges).flatMap((e) => (typeof e.name === 'string' ? [{ name: e.name, type: String(e.type ?? '') }] : [])),
      bindings: list(bindings).flatMap((b) => (typeof b.source === 'string' && b.source !== '' && b.destination_type === 'queue' && typeof b.destination === 'string'
        ? [{ source: b.source, queue: b.destination, routingKey: String(b.routing_key ?? '') }] : [])),
      consumers: list(consumers).flatMap((c) => {
        const queue = isRecord(c.queue) ? c.queue.name : undefined;
        const connection = isRecord(c.channel_details) ? c.channel_details.connection_name : undefined;
        return typeof queue === 'string' && typeof connection === 'string' ? [{ queue, connection }] : [];
      }),
    };
  }

  async close(): Promise<void> {
    this.#agent.destroy();
  }

  async #get(path: string, columns: string): Promise<unknown> {
    const { api, tls } = this.options;
    const endpoint = `/api/${path}`;
    const where = `RabbitMQ management API at ${api.url}`;
    let ca: Buffer | undefined;
    if (api.tls && tls?.caFile) {
      try {
        ca = readFileSync(tls.caFile);
      } catch (error) {
        throw { code: 'BAD_CONFIG', detail: `the CA file ${tls.caFile} cannot be read (${(error as Error).message})` } satisfies ApiError;
      }
    }
    this.traffic.requests++;
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = (api.tls ? https : http).request({
        host: api.host, port: api.port, path: `${api.basePath}${endpoint}?columns=${encodeURIComponent(columns)}`, method: 'GET', agent: this.#agent,
        headers: { authorization: `Basic ${Buffer.from(`${api.username}:${api.password}`).toString('base64')}`, accept: 'application/json' },
        ...(api.tls ? { ca, rejectUnauthorized: !tls?.insecure, servername: /^[\d.]+$|:/.test(api.host) ? undefined : api.host } : {}),
      }, (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBodyBytes) request.destroy(new Error(`${endpoint} answered more than ${maxBodyBytes} bytes`));
          else chunks.push(chunk);
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      });
      const timer = setTimeout(() => request.destroy(Object.assign(new Error('timed out'), { code: 'TIMEOUT' })), this.options.timeoutMs ?? 5000);
      request.on('close', () => clearTimeout(timer));
      request.on('error', reject);
      request.end();
    }).catch((error: unknown) => {
      throw classifySocketError(error, where, { tls: api.tls, scheme: 'http' });
    });
    if (status !== 200) throw classifyHttpStatus(status, body, where, endpoint, api.username);
    try {
      return JSON.parse(body) as unknown;
    } catch {
      throw { code: 'INTERNAL', detail: `${where}: ${endpoint} did not answer JSON` } satisfies ApiError;
    }
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
