/**
 * Choosing the engine and the rate-limit backend from configuration: PostgreSQL when a database
 * URL is configured (`DATABASE_URL` or `database.url` in the file), else the embedded SQLite file;
 * Redis-shared rate limits when a Redis URL is configured (`REDIS_URL` or `redis.url`), else in
 * memory. Nothing else in the collector knows which one runs.
 */
import { join } from 'node:path';
import type { CollectorConfig } from './config/schema';
import { createRateLimiter, type RateLimiter } from './http/rate-limit';
import { createRedisRateLimiter } from './http/rate-limit-redis';
import { createPostgresStore } from './store/postgres/index';
import { createSqliteStore } from './store/sqlite/index';
import type { Store } from './store/types';

/** `DATABASE_URL`, `WAYMARK_DATABASE_SCHEMA` and `REDIS_URL` override the file's values. */
export function withEnvironment(config: CollectorConfig, env: NodeJS.ProcessEnv = process.env): CollectorConfig {
  return {
    ...config,
    database: {
      ...config.database,
      ...(env.DATABASE_URL ? { url: env.DATABASE_URL } : {}),
      ...(env.WAYMARK_DATABASE_SCHEMA ? { schema: env.WAYMARK_DATABASE_SCHEMA } : {}),
    },
    redis: { ...config.redis, ...(env.REDIS_URL ? { url: env.REDIS_URL } : {}) },
  };
}

/** The configured store: PostgreSQL when `database.url` is set, else SQLite at `<dataDir>/waymark.db`. */
export function openStore(config: CollectorConfig, dataDir: string): Store {
  if (config.database.url) {
    return createPostgresStore({ url: config.database.url, schema: config.database.schema, max: config.database.poolSize });
  }
  return createSqliteStore({ filename: join(dataDir, 'waymark.db'), synchronous: config.sqlite.synchronous });
}

/** The configured rate limiter and how to release it: Redis-shared when `redis.url` is set. */
export function openRateLimiter(config: CollectorConfig): { limiter: RateLimiter; close(): Promise<void> } {
  if (config.redis.url) {
    const limiter = createRedisRateLimiter({ url: config.redis.url, keyPrefix: config.redis.keyPrefix });
    return { limiter, close: () => limiter.close() };
  }
  return { limiter: createRateLimiter(), close: async () => {} };
}

/** Where the store lives, for messages (`postgres://host/db (schema x)` or the SQLite file). */
export function describeStore(config: CollectorConfig, dataDir: string): string {
  if (!config.database.url) return join(dataDir, 'waymark.db');
  const u = new URL(config.database.url);
  return `postgres://${u.host}${u.pathname}${config.database.schema ? ` (schema ${config.database.schema})` : ''}`;
}
