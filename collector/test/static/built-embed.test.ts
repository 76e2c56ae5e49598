/**
 * The embed as this repository builds it (`npm test` builds first), served as browsers get it:
 * brotli within its size budget (the limit `size-limit.json` holds for the same file), with its ETag and cache headers, from the build's own `.br` file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
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

// the budgets live in one place: size-limit.json's entry for the same built file ("5250 B", "3.5 KB")
const budgets = JSON.parse(readFileSync(fileURLToPath(new URL('../../../size-limit.json', import.meta.url)), 'utf8')) as Array<{ path?: string; limit: string }>;
const budget = (file: string) => {
  const [, n, unit] = /^([\d.]+)\s*(B|KB|kB)$/.exec(budgets.find((b) => b.path === `packages/browser/dist/${file}`)!.limit)!;
  return Number(n) * (unit === 'B' ? 1 : 1000);
};

it.each([
  ['/embed/v1.js', 'embed.js', budget('embed.js')],
  ['/embed/v1/vitals.js', 'embed-vitals.js', budget('embed-vitals.js')],
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
