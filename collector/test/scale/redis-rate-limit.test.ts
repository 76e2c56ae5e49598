/**
 * Rate limits shared through Redis: two collector processes with the same `REDIS_URL` hold one
 * org's limit together (a client spreading requests over both gets no more than the limit), and
 * a limiter whose Redis is unreachable still answers, per process.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisRateLimiter } from '../../src/http/rate-limit-redis';
import { makeBatch } from '../helpers/collector';
import { startChildCollector } from '../helpers/child';
import { findRedis, uniqueRedisPrefix } from '../postgres/pg-test-db';
import { exitOf, postJson } from './procs';

const redisUrl = await findRedis();
const dir = mkdtempSync(join(tmpdir(), 'waymark-redis-'));
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const c of children) c.kill('SIGTERM');
  await Promise.all(children.map(exitOf));
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!redisUrl)('rate limits shared through Redis', () => {
  it("holds the org's limit across two collector processes", async () => {
    const limit = 30;
    const prefix = uniqueRedisPrefix('rl');
    const config = {
      orgs: [{ key: 'test-org', apiKeys: ['sk_test_0123456789abcdef'], rateLimit: { requests: limit, perSeconds: 600 }, journeys: [{ key: 'test-journey' }] }],
      redis: { keyPrefix: prefix },
      logLevel: 'warn',
    };
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    // each collector has its own data directory (store): only the limiter is shared
    const start = (n: number) =>
      startChildCollector(['--config', join(dir, 'config.json'), '--data-dir', join(dir, `data${n}`)], { REDIS_URL: redisUrl!, DATABASE_URL: '' });
    const collectors = await Promise.all([start(0), start(1)]);
    children.push(...collectors.map((c) => c.child));

    const agent = new Agent({ keepAlive: true });
    const statuses: number[] = [];
    for (let i = 0; i < 2 * limit; i++) {
      statuses.push(await postJson(`${collectors[i % 2]!.url}/api/ingest`, JSON.stringify(makeBatch(2, { prefix: `rl_${i}` })), agent));
    }
    agent.destroy();
    expect(statuses.filter((s) => s === 204)).toHaveLength(limit);
    expect(statuses.filter((s) => s === 429)).toHaveLength(limit);
    // both collectors refused once the shared budget was spent
    expect(statuses.slice(limit)).toEqual(Array(limit).fill(429));
    const res = await fetch(`${collectors[1]!.url}/api/ingest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(makeBatch(1)) });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await res.json()).error.code).toBeTruthy();
  }, 90_000);

  it('falls back to a per-process limit while Redis is unreachable', async () => {
    const limiter = createRedisRateLimiter({ url: 'redis://127.0.0.1:1', keyPrefix: uniqueRedisPrefix('down') });
    try {
      const results = [];
      for (let i = 0; i < 5; i++) results.push(await limiter.consume('org:x', { requests: 3, perSeconds: 60 }));
      expect(results.slice(0, 3)).toEqual([null, null, null]);
      expect(results[3]).toBeGreaterThan(0);
    } finally {
      await limiter.close();
    }
  });
});
