import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBatch, post, seedBatch, startTestCollector, TEST_API_KEY, type TestCollector } from '../helpers/collector';
import type { ConfigInput } from '../../src/config/schema';

const config: ConfigInput = {
  logLevel: 'silent',
  orgs: [
    {
      key: 'test-org',
      apiKeys: [TEST_API_KEY],
      rateLimit: { requests: 100_000, perSeconds: 3600 },
      journeys: [{ key: 'test-journey' }, { key: 'locked', allowedOrigins: ['https://app.example.com'] }],
    },
    { key: 'tiny', apiKeys: ['sk_test_tiny_0123456789'], rateLimit: { requests: 3, perSeconds: 3600 }, journeys: [{ key: 'j' }] },
  ],
};

let c: TestCollector;
beforeAll(async () => {
  c = await startTestCollector({ config });
});
afterAll(() => c.stop());

async function expectError(res: Response, status: number, code: string, message?: RegExp) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  if (message) expect(body.error.message).toMatch(message);
  return body;
}

describe('ingest error cases', () => {
  it('400 for malformed JSON', async () => {
    await expectError(await post(c.url, '/api/ingest', '{"schemaVersion":1,'), 400, 'malformed_json', /not valid JSON/);
  });

  it('400 for an empty body', async () => {
    await expectError(await fetch(`${c.url}/api/ingest`, { method: 'POST' }), 400, 'empty_body');
  });

  it('400 naming the first bad event and field', async () => {
    const batch = makeBatch(5);
    delete (batch.events[3] as Record<string, unknown>).stepKey;
    (batch.events[4] as Record<string, unknown>).sessionId = 42;
    const body = await expectError(await post(c.url, '/api/ingest', batch), 400, 'invalid_batch', /^event 3, events\[3\]\.stepKey: /);
    expect(body.error).toMatchObject({ path: 'events[3].stepKey', eventIndex: 3 });
    expect(await c.store.countEvents('test-org')).toBe(0);
  });

  it('400 for a bad envelope', async () => {
    await expectError(await post(c.url, '/api/ingest', { schemaVersion: 2, context: {}, events: [] }), 400, 'invalid_batch', /schemaVersion/);
  });

  it('404 for an unknown org and an unknown journey', async () => {
    await expectError(await post(c.url, '/api/ingest', makeBatch(2, { org: 'nope' })), 404, 'org_not_found', /"nope"/);
    await expectError(await post(c.url, '/api/ingest', makeBatch(2, { journey: 'nope' })), 404, 'journey_not_found', /"nope"/);
  });

  it('403 for an origin the journey does not allow; 204 for an allowed one', async () => {
    const batch = makeBatch(2, { journey: 'locked' });
    await expectError(await post(c.url, '/api/ingest', batch, { origin: 'https://evil.example' }), 403, 'origin_not_allowed', /evil\.example/);
    expect((await post(c.url, '/api/ingest', batch, { origin: 'https://app.example.com' })).status).toBe(204);
  });

  it('413 for a body over 1 MB, also when it only gets that big after gunzip', async () => {
    const big = JSON.stringify({ ...makeBatch(1), pad: 'x'.repeat(1024 * 1024) });
    await expectError(await post(c.url, '/api/ingest', big), 413, 'body_too_large');
    const gz = gzipSync(big);
    expect(gz.length).toBeLessThan(20_000);
    await expectError(await post(c.url, '/api/ingest', gz, { 'content-encoding': 'gzip' }), 413, 'body_too_large', /after decompression/);
  });

  it('413 for more than 500 events', async () => {
    await expectError(await post(c.url, '/api/ingest', makeBatch(501)), 413, 'too_many_events', /at most 500 events.*got 501/);
  });

  it('429 with Retry-After past the org and journey limit', async () => {
    for (let i = 0; i < 3; i++) expect((await post(c.url, '/api/ingest', makeBatch(1, { org: 'tiny', journey: 'j' }))).status).toBe(204);
    const res = await post(c.url, '/api/ingest', makeBatch(1, { org: 'tiny', journey: 'j' }));
    await expectError(res, 429, 'rate_limited', /org "tiny"/);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(3000);
  });

  it('429 after 20 requests a minute from an origin the org lists nowhere', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await post(c.url, '/api/ingest', makeBatch(1), { origin: 'https://unknown.example' })).status);
    expect(statuses.slice(0, 20).every((s) => s === 204)).toBe(true);
    expect(statuses[20]).toBe(429);
    // a listed origin is not affected
    expect((await post(c.url, '/api/ingest', makeBatch(1), { origin: 'https://app.example.com' })).status).toBe(204);
  });

  it('accepts text/plain (sendBeacon) and gzip bodies', async () => {
    expect((await post(c.url, '/api/ingest', JSON.stringify(makeBatch(2)), { 'content-type': 'text/plain;charset=UTF-8' })).status).toBe(204);
    expect((await post(c.url, '/api/ingest', gzipSync(JSON.stringify(makeBatch(2))), { 'content-encoding': 'gzip' })).status).toBe(204);
    await expectError(await post(c.url, '/api/ingest', Buffer.from('not gzip'), { 'content-encoding': 'gzip' }), 400, 'bad_request');
  });

  it('answers CORS preflight for allowed origins only', async () => {
    const pre = (origin: string) =>
      fetch(`${c.url}/api/ingest`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    const ok = await pre('https://app.example.com');
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(ok.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('503 with Retry-After when the store fails, and /health says so', async () => {
    const broken = await startTestCollector({ config });
    await broken.store.close();
    const res = await post(broken.url, '/api/ingest', seedBatch());
    await expectError(res, 404, 'org_not_found'); // the example batch's org is not in this config: checked before the store
    const res2 = await post(broken.url, '/api/ingest', makeBatch(2));
    await expectError(res2, 503, 'store_unavailable');
    expect(res2.headers.get('retry-after')).toBe('5');
    await expectError(await fetch(`${broken.url}/health`), 503, 'store_unavailable');
    await broken.stop().catch(() => {});
  });

  it('/health is 200 and /metrics counts batches by status, rejections by reason', async () => {
    expect((await fetch(`${c.url}/health`)).status).toBe(200);
    const text = await (await fetch(`${c.url}/metrics`)).text();
    expect(text).toMatch(/waymark_batches_total\{endpoint="ingest",status="204"\} \d+/);
    expect(text).toMatch(/waymark_events_rejected_total\{reason="rate_limited"\} \d+/);
    expect(text).toMatch(/waymark_outbox_backlog \d+/);
    expect(text).toMatch(/waymark_ingest_duration_seconds_bucket/);
  });

  it('unknown routes answer a JSON 404', async () => {
    await expectError(await fetch(`${c.url}/nope`), 404, 'not_found');
  });
});
