import type { IncomingMessage } from 'node:http';

/** Argument objects are a few short strings; anything larger is refused unread. */
export const maxBodyBytes = 64 * 1024;

export type BodyReading = { ok: true; value: unknown } | { ok: false; status: 400 | 413; detail: string };

/** Reads a request body as JSON; an empty body is the empty argument object. */
export async function readJsonBody(req: IncomingMessage): Promise<BodyReading> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBodyBytes) return { ok: false, status: 413, detail: `request body over ${maxBodyBytes} bytes` };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) return { ok: false, status: 413, detail: `request body over ${maxBodyBytes} bytes` };
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, status: 400, detail: 'request body is not valid JSON' };
  }
}
