/**
 * Rate limits shared by every collector process through Redis (`REDIS_URL`): the same
 * {@link RateLimiter} as in memory, with rate-limiter-flexible's `RateLimiterRedis` as the
 * backend, so an org's limit holds across all the collectors behind a load balancer.
 *
 * If Redis becomes unreachable, each process falls back to an in-memory limiter with the same
 * limit (rate-limiter-flexible's insurance limiter) instead of failing ingest: limits then hold
 * per process until Redis is back.
 */
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import { createRateLimiter, type LimiterBackend, type RateLimiter } from './rate-limit';

/** Options of {@link createRedisRateLimiter}. */
export interface RedisRateLimiterOptions {
  /** `redis://host:port/db` */
  url: string;
  /** prefix of every key (default `waymark:rl:`); collectors sharing limits must use the same */
  keyPrefix?: string;
  /** how long the first requests wait for the first connection, ms (default 3000) */
  connectWaitMs?: number;
}

/** A shared limiter and the function that closes its Redis connection. */
export interface RedisRateLimiter extends RateLimiter {
  close(): Promise<void>;
}

export function createRedisRateLimiter(opts: RedisRateLimiterOptions): RedisRateLimiter {
  // no offline queue: while disconnected, commands fail at once and the insurance limiter answers
  const redis = new Redis(opts.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000 });
  redis.on('error', () => {}); // reconnects by itself; requests use the insurance limiter meanwhile
  const prefix = opts.keyPrefix ?? 'waymark:rl:';
  const backend: LimiterBackend = (limit) =>
    new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${prefix}${limit.requests}/${limit.perSeconds}`,
      points: limit.requests,
      duration: limit.perSeconds,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory({ points: limit.requests, duration: limit.perSeconds }),
    });
  const limiter = createRateLimiter(backend);
  // Until the first connection is up, requests would all go to the per-process insurance limiter
  // and a freshly started collector would let through more than the shared limit: wait for it,
  // at most `connectWaitMs`. Once settled this is one resolved promise per request.
  let ready: Promise<void> | undefined = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, opts.connectWaitMs ?? 3000);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  }).then(() => {
    ready = undefined;
  });
  return {
    async consume(key, limit) {
      if (ready) await ready;
      return limiter.consume(key, limit);
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** True for `redis://` and `rediss://` URLs. */
export const isRedisUrl = (url: string | undefined): url is string => !!url && /^rediss?:\/\//i.test(url);
