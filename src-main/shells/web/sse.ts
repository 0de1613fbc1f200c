import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Api } from '../../contract/api.js';
import { apiEventNames } from '../../contract/endpoints.js';

/** A client that lets this much pile up unread is too slow to follow and is dropped. */
const maxBufferedBytes = 8 * 1024 * 1024;

export interface EventStreams {
  /** Answers `GET /api/events`: every contract event, named as in the contract, data as JSON. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Ends every open stream (server shutdown). */
  closeAll(): void;
}

/**
 * Server-sent events derived from `endpoints.ts`: one subscription per contract event per client,
 * dropped when the client goes. Comment-line heartbeats keep proxies and idle timers from closing
 * a quiet stream, and let a client notice a dead one.
 */
export function createEventStreams(api: Api, heartbeatMs: number): EventStreams {
  const open = new Set<() => void>();

  return {
    handle(req, res) {
      let stopped = false;
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      });
      const send = (chunk: string): void => {
        if (res.writableLength > maxBufferedBytes) return stop();
        res.write(chunk);
      };
      const unsubscribes = apiEventNames.map((name) =>
        api[name]((event: unknown) => send(`event: ${name}\ndata: ${JSON.stringify(event)}\n\n`)),
      );
      const heartbeat = setInterval(() => send(': heartbeat\n\n'), heartbeatMs);
      function stop(): void {
        if (stopped) return;
        stopped = true;
        clearInterval(heartbeat);
        for (const unsubscribe of unsubscribes) unsubscribe();
        open.delete(stop);
        res.end();
      }
      open.add(stop);
      req.on('close', stop);
      res.on('close', stop);
      // Tells the client how soon to reconnect, and flushes the headers.
      res.write('retry: 2000\n\n');
    },
    closeAll() {
      for (const stop of [...open]) stop();
    },
  };
}
