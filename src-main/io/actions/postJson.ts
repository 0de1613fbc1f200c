export interface PostResult {
  outcome: 'ok' | 'failed' | 'timeout';
  /** `HTTP 200`, `HTTP 500`, `no answer within 10000 ms`, `ECONNREFUSED`. */
  detail: string;
  status: number | null;
  /** The start of the response body (failures only), for the log. */
  output?: string;
  durationMs: number;
}

const bodyLogLimit = 2048;

/**
 * POSTs a JSON body with a time limit that covers the whole exchange (connect, headers, body).
 * A 2xx answer is success. Never rejects: every failure is a result to log. Redirects are not
 * followed (a webhook that moved should be reconfigured, not chased with the body).
 */
export async function postJson(url: string, body: unknown, options: { timeoutMs: number; headers?: Record<string, string> }): Promise<PostResult> {
  const started = performance.now();
  const took = () => Math.round(performance.now() - started);
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'task-status', ...options.headers },
      body: JSON.stringify(body),
      redirect: 'manual',
      signal,
    });
    const text = await response.text();
    if (response.ok) return { outcome: 'ok', detail: `HTTP ${response.status}`, status: response.status, durationMs: took() };
    return { outcome: 'failed', detail: `HTTP ${response.status}`, status: response.status, output: text.slice(0, bodyLogLimit), durationMs: took() };
  } catch (error) {
    if (signal.aborted) return { outcome: 'timeout', detail: `no answer within ${options.timeoutMs} ms`, status: null, durationMs: took() };
    return { outcome: 'failed', detail: describe(error), status: null, durationMs: took() };
  }
}

/** fetch hides the reason in `cause` (`ECONNREFUSED`, `ENOTFOUND`). */
function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
