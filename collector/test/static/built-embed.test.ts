/**
 * The embed as this repository builds it (`npm test` builds first), served as browsers get it:
 * brotli within the 5 KB budget, with its ETag and cache headers, from the build's own `.br` file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { findEmbed } from '../../src/routes/static';
import { startTestCollector, type TestCollector } from '../helpers/collector';

let c: TestCollector;
beforeAll(async () => {
  c = await startTestCollector();
});
afterAll(() => c?.stop());

const head = (path: string) =>
  new Promise<{ status: number; headers: Record<string, unknown>; bytes: number }>((resolve, reject) => {
    const req = request(`${c.url}${path}`, { headers: { 'accept-encoding': 'br' } }, (res) => {
      let bytes = 0;
      res.on('data', (d: Buffer) => (bytes += d.length));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, bytes }));
    });
    req.on('error', reject);
    req.end();
  });

it.each([
  ['/embed/v1.js', 'embed.js', 5000],
  ['/embed/v1/vitals.js', 'embed-vitals.js', 3500],
])('%s: brotli from the build (%s), within its budget on the wire', async (path, file, budget) => {
  const built = findEmbed(file)!;
  expect(existsSync(`${built}.br`), `${built}.br (the build precompresses)`).toBe(true);
  const res = await head(path);
  expect(res.status).toBe(200);
  expect(res.headers['content-encoding']).toBe('br');
  expect(res.headers.etag).toMatch(/^"[0-9a-f]{10}-br"$/);
  expect(res.headers['cache-control']).toBe('public, max-age=300');
  expect(res.bytes).toBe(readFileSync(`${built}.br`).length);
  expect(res.bytes).toBeLessThanOrEqual(budget);
});
