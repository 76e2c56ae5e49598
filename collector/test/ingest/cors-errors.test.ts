/**
 * A page can read why its events were refused: every ingest answer, errors included, carries the
 * CORS headers of the request's origin, and the request log names the error code and reason.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBatch, post, startTestCollector, TEST_API_KEY, type TestCollector } from '../helpers/collector';

const lines: Record<string, any>[] = [];
const sink = new Writable({
  write(chunk, _enc, cb) {
    for (const l of String(chunk).split('\n')) if (l) lines.push(JSON.parse(l));
    cb();
  },
});
let c: TestCollector;
beforeAll(async () => {
  c = await startTestCollector({
    config: {
      // no journey accepts the page's origin: before, such a page got no CORS header on any answer
      orgs: [{ key: 'test-org', apiKeys: [TEST_API_KEY], allowedOrigins: ['https://app.example.com'], journeys: [{ key: 'test-journey' }, { key: 'locked', allowedOrigins: ['https://admin.example.com'] }] }],
    },
    logger: pino({ level: 'info' }, sink),
  });
});
afterAll(() => c.stop());

const PAGE = 'https://shop.example.org';

describe('ingest error answers are readable by the sending page', () => {
  it.each([
    ['unknown org', '/api/ingest', makeBatch(1, { org: 'no-such-org' }), 404, 'org_not_found'],
    ['unknown journey', '/api/ingest', makeBatch(1, { journey: 'no-such-journey' }), 404, 'journey_not_found'],
    ['origin the journey does not allow', '/v1/sdk/events', makeBatch(1, { journey: 'locked' }), 403, 'origin_not_allowed'],
    ['invalid batch', '/api/ingest', { schemaVersion: 1, context: { orgKey: 'no-such-org' }, events: [] }, 400, 'invalid_batch'],
    ['malformed JSON', '/api/ingest', '{"schemaVersion":', 400, 'malformed_json'],
    ['wrong endpoint path', '/api/ingst', makeBatch(1), 404, 'not_found'],
  ])('%s (%s): the origin echoed and a JSON reason, logged with its code', async (_what, path, body, status, code) => {
    const res = await post(c.url, path, body, { origin: PAGE, 'content-type': 'text/plain;charset=UTF-8', 'x-request-id': `cors-${code}` });
    expect(res.status).toBe(status);
    expect(res.headers.get('access-control-allow-origin')).toBe(PAGE);
    expect(res.headers.get('vary')).toMatch(/Origin/);
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    const json = (await res.json()) as { error: { code: string; message: string } };
    expect(json.error.code).toBe(code);
    await expect.poll(() => lines.find((l) => l.req?.id === `cors-${code}`)).toMatchObject({
      level: 40, // warn
      res: { statusCode: status, error: { code, message: json.error.message } },
    });
  });

  it('a success answers the same headers; without an Origin there are none', async () => {
    const ok = await post(c.url, '/api/ingest', makeBatch(1), { origin: 'https://app.example.com' });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    const server = await post(c.url, '/api/ingest', makeBatch(1, { org: 'nope' }));
    expect(server.status).toBe(404);
    expect(server.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('a preflight is answered for any origin (the POST says why it is refused)', async () => {
    const res = await fetch(`${c.url}/api/ingest`, {
      method: 'OPTIONS',
      headers: { origin: PAGE, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(PAGE);
    expect(res.headers.get('access-control-allow-headers')).toMatch(/Content-Type/);
  });
});
