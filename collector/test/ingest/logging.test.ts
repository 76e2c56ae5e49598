/** One JSON log line per request with a request id; no IP address, no query string, no cookie. */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBatch, post, startTestCollector, type TestCollector } from '../helpers/collector';

const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk, _enc, cb) {
    for (const l of String(chunk).split('\n')) if (l) lines.push(JSON.parse(l));
    cb();
  },
});
let c: TestCollector;
beforeAll(async () => {
  c = await startTestCollector({ logger: pino({ level: 'info' }, sink) });
});
afterAll(() => c.stop());

describe('request logs', () => {
  it('log method, path, status and the request id, never the IP or the query', async () => {
    const res = await post(c.url, '/api/ingest', makeBatch(2), { 'x-request-id': 'req-123' });
    expect(res.status).toBe(204);
    expect(res.headers.get('x-request-id')).toBe('req-123');
    await fetch(`${c.url}/log?si=test.site&email=someone%40example.com`);
    const generated = (await fetch(`${c.url}/health`)).headers.get('x-request-id');
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    await new Promise((r) => setTimeout(r, 50));
    const requests = lines.filter((l) => l.msg === 'request completed');
    expect(requests.length).toBeGreaterThanOrEqual(3);
    expect(requests[0]).toMatchObject({ req: { id: 'req-123', method: 'POST', path: '/api/ingest' }, res: { statusCode: 204 } });
    const all = JSON.stringify(lines);
    expect(all).not.toContain('127.0.0.1');
    expect(all).not.toContain('someone');
    expect(all).not.toMatch(/remoteAddress|cookie|user-agent/i);
  });
});
