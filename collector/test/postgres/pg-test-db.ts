import { randomBytes } from 'node:crypto';
import pg from 'pg';
import Redis from 'ioredis';
import { testDatabaseUrl } from '../../src/store/postgres/testing';

/**
 * Test access to the machine's PostgreSQL (127.0.0.1:5432, trust auth, database `test`) and
 * Redis (127.0.0.1:6379). Under `CI=true` a missing service throws, so the suite fails instead
 * of silently skipping; elsewhere the callers skip.
 */
export const TEST_REDIS_URL = process.env.WAYMARK_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const inCi = () => process.env.CI === 'true' || process.env.CI === '1';

let found: Promise<string | null> | undefined;

/** The first PostgreSQL URL that answers, or null (throws under CI). */
export function findPostgres(): Promise<string | null> {
  found ??= testDatabaseUrl().catch((err: Error) => {
    if (inCi()) throw new Error(`PostgreSQL is required under CI=true and is not reachable (${err.message})`);
    return null;
  });
  return found;
}

/** A schema of its own for one test file. */
export interface TestSchema {
  url: string;
  schema: string;
  /** Drops the schema and everything in it. */
  drop(): Promise<void>;
}

/** Creates `wm_<random>`; call `drop()` in `afterAll`. Returns null when PostgreSQL is absent outside CI. */
export async function createTestSchema(prefix = 'wm'): Promise<TestSchema | null> {
  const url = await findPostgres();
  if (!url) return null;
  const schema = `${prefix}_${randomBytes(6).toString('hex')}`;
  await adminQuery(url, `CREATE SCHEMA ${schema}`);
  return { url, schema, drop: () => adminQuery(url, `DROP SCHEMA IF EXISTS ${schema} CASCADE`) };
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

let redisFound: Promise<string | null> | undefined;

/** The Redis URL when Redis answers PING, else null (throws under CI). */
export function findRedis(): Promise<string | null> {
  redisFound ??= (async () => {
    const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 3000, retryStrategy: () => null });
    redis.on('error', () => {});
    try {
      await redis.connect();
      await redis.ping();
      return TEST_REDIS_URL;
    } catch (err) {
      if (inCi()) throw new Error(`Redis is required under CI=true and is not reachable at ${TEST_REDIS_URL}: ${(err as Error).message}`);
      return null;
    } finally {
      redis.disconnect();
    }
  })();
  return redisFound;
}

/** A key prefix no other test uses. */
export const uniqueRedisPrefix = (name: string) => `wmtest:${name}:${randomBytes(5).toString('hex')}:`;
