import { afterEach, describe, expect, it } from 'vitest';
import { classifyResponse, createHttpTransport, parseRetryAfter } from '../src/http-transport';
import { startRecorder, type Reply } from './helpers/recorder';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('classifyResponse', () => {
  it('maps 2xx to delivered, 408/429/5xx to retryable and other 4xx to rejected', () => {
    expect(classifyResponse(204)).toEqual({ status: 'delivered' });
    expect(classifyResponse(503, '7')).toEqual({ status: 'retryable', reason: 'http_503', retryAfterMs: 7000 });
    expect(classifyResponse(429)).toEqual({ status: 'retryable', reason: 'http_429' });
    expect(classifyResponse(408)).toMatchObject({ status: 'retryable' });
    expect(classifyResponse(400)).toEqual({ status: 'rejected', reason: 'http_400', code: 400 });
    expect(classifyResponse(404)).toMatchObject({ status: 'rejected', code: 404 });
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

/** A fetch that never answers, and rejects like the real one when its signal aborts. */
const hangingFetch = ((_input: unknown, init?: RequestInit) =>
  new Promise((_, reject) => {
    const signal = init!.signal!;
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason));
  })) as typeof fetch;

describe('createHttpTransport', () => {
  it('gzips a body when that saves bytes and sends small ones as they are', async () => {
    const rec = await startRecorder();
    close = rec.close;
    const t = createHttpTransport({ endpoint: `${rec.url}/api/ingest` });
    const big = JSON.stringify({ events: Array.from({ length: 50 }, (_, i) => ({ _tag: 'step_view', stepKey: `step-${i}` })) });
    expect(await t.send(big)).toEqual({ status: 'delivered' });
    expect(await t.send('{"a":1}')).toEqual({ status: 'delivered' });
    const [gz, plain] = rec.requests;
    expect(gz!.headers['content-encoding']).toBe('gzip');
    expect(gz!.raw.length).toBeLessThan(Buffer.byteLength(big));
    expect(gz!.body).toBe(big);
    expect(gz!.headers['content-type']).toBe('application/json');
    expect(gz!.headers['user-agent']).toMatch(/^waymark-node\//);
    expect(plain!.headers['content-encoding']).toBeUndefined();
    expect(plain!.body).toBe('{"a":1}');
  });

  it('does not gzip what would not shrink', async () => {
    const rec = await startRecorder();
    close = rec.close;
    const t = createHttpTransport({ endpoint: rec.url, gzipThreshold: 10 });
    // a short body: gzip's own header and trailer outweigh what it saves
    await t.send('{"id":"4454d621"}');
    expect(rec.requests[0]!.headers['content-encoding']).toBeUndefined();
  });

  it('reports 503 with Retry-After as retryable and 400 as rejected with the reason', async () => {
    const rec = await startRecorder((_, i): Reply =>
      i === 0
        ? { status: 503, headers: { 'retry-after': '3' } }
        : { status: 400, headers: { 'content-type': 'application/json' }, body: '{"error":{"code":"invalid_event","message":"events[0].stepKey: required"}}' },
    );
    close = rec.close;
    const t = createHttpTransport({ endpoint: rec.url });
    expect(await t.send('{}')).toEqual({ status: 'retryable', reason: 'http_503', retryAfterMs: 3000 });
    expect(await t.send('{}')).toEqual({ status: 'rejected', code: 400, reason: 'http_400 invalid_event: events[0].stepKey: required' });
  });

  it('turns a refused connection and a timeout into retryable results, never a throw', async () => {
    const rec = await startRecorder();
    const url = rec.url;
    await rec.close();
    const t = createHttpTransport({ endpoint: url });
    expect(await t.send('{}')).toMatchObject({ status: 'retryable', reason: expect.stringMatching(/^network_error/) });

    const slow = await startRecorder(() => ({ status: 204 }));
    close = slow.close;
    const hanging = createHttpTransport({
      endpoint: slow.url,
      timeout: 50,
      fetch: hangingFetch,
    });
    expect(await hanging.send('{}')).toEqual({ status: 'retryable', reason: 'timeout' });

    const aborted = createHttpTransport({
      endpoint: slow.url,
      fetch: hangingFetch,
    });
    const pending = aborted.send('{}');
    aborted.abort();
    expect(await pending).toEqual({ status: 'retryable', reason: 'aborted' });
  });
});
