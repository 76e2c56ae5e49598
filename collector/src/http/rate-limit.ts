/**
 * Rate limiting behind a small interface so that a shared (Redis) limiter can replace the
 * in-memory one without touching the routes. Limits are fixed windows of `requests` per `perSeconds`.
 */
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RateLimitConfig } from '../config/schema';

/** Answers whether one more request under `key` fits `limit`. */
export interface RateLimiter {
  /** resolves to `null` when allowed, else the seconds to wait (for `Retry-After`) */
  consume(key: string, limit: RateLimitConfig): Promise<number | null>;
}

/** Builds the rate-limiter-flexible backend for one limit (memory here; Redis in a shared deployment). */
export type LimiterBackend = (limit: RateLimitConfig) => RateLimiterAbstract;

/** A {@link RateLimiter} over rate-limiter-flexible; one backend instance per distinct limit. */
export function createRateLimiter(backend: LimiterBackend = memoryBackend): RateLimiter {
  const byLimit = new Map<string, RateLimiterAbstract>();
  return {
    async consume(key, limit) {
      const id = `${limit.requests}/${limit.perSeconds}`;
      let l = byLimit.get(id);
      if (!l) byLimit.set(id, (l = backend(limit)));
      try {
        await l.consume(key, 1);
        return null;
      } catch (e) {
        if (e instanceof RateLimiterRes) return Math.max(1, Math.ceil(e.msBeforeNext / 1000));
        throw e;
      }
    },
  };
}

/** In-process memory: limits hold per collector process. */
export const memoryBackend: LimiterBackend = (limit) =>
  new RateLimiterMemory({ points: limit.requests, duration: limit.perSeconds });
