import { afterEach, describe, expect, it } from 'vitest';
import { postJson } from '../../../src-main/io/actions/postJson.js';
import { startReceiver } from './decisions.js';

let close: (() => Promise<void>) | null = null;
afterEach(async () => {
  await close?.();
  close = null;
});

describe('postJson', () => {
  it('POSTs the body as JSON with the headers given; a 2xx is ok', async () => {
    const receiver = await startReceiver();
    close = receiver.close;
    const result = await postJson(`${receiver.url}/hook`, { a: 1 }, { timeoutMs: 5000, headers: { authorization: 'Bearer t' } });
    expect(result).toMatchObject({ outcome: 'ok', detail: 'HTTP 200', status: 200 });
    expect(receiver.calls).toHaveLength(1);
    expect(receiver.calls[0]).toMatchObject({ method: 'POST', url: '/hook', body: { a: 1 } });
    expect(receiver.calls[0]!.headers['content-type']).toBe('application/json');
    expect(receiver.calls[0]!.headers.authorization).toBe('Bearer t');
  });

  it('a 500 is a failure with the start of the answer', async () => {
    const receiver = await startReceiver((_call, res) => void res.writeHead(500).end('boom'));
    close = receiver.close;
    expect(await postJson(receiver.url, {}, { timeoutMs: 5000 })).toMatchObject({ outcome: 'failed', detail: 'HTTP 500', status: 500, output: 'boom' });
  });

  it('a receiver that never answers times out', async () => {
    const receiver = await startReceiver(() => new Promise(() => {}));
    close = receiver.close;
    expect(await postJson(receiver.url, {}, { timeoutMs: 300 })).toMatchObject({ outcome: 'timeout', detail: 'no answer within 300 ms', status: null });
  });

  it('nobody listening is a failure naming the error', async () => {
    const receiver = await startReceiver();
    await receiver.close();
    expect(await postJson(receiver.url, {}, { timeoutMs: 5000 })).toMatchObject({ outcome: 'failed', detail: 'ECONNREFUSED' });
  });

  it('a redirect is not followed', async () => {
    const receiver = await startReceiver((_call, res) => void res.writeHead(302, { location: 'http://example.invalid/' }).end());
    close = receiver.close;
    expect(await postJson(receiver.url, {}, { timeoutMs: 5000 })).toMatchObject({ outcome: 'failed', detail: 'HTTP 302' });
  });
});
