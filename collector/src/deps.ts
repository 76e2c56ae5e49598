/** What the collector's routers are built from (passed to every route factory). */
import type { Logger } from 'pino';
import type { RequestHandler } from 'express';
import type { Registry } from './config/registry';
import type { CollectorConfig } from './config/schema';
import type { CollectorMetrics } from './http/metrics';
import type { RateLimiter } from './http/rate-limit';
import type { Processor } from './processor';
import type { Store } from './store/types';

export interface CollectorDeps {
  config: CollectorConfig;
  registry: Registry;
  store: Store;
  processor: Processor;
  logger: Logger;
  metrics: CollectorMetrics;
  limiter: RateLimiter;
  /** `X-API-Key` authentication for admin routes (sets `res.locals.org`) */
  adminAuth: RequestHandler;
  /** current time in ms (tests may pin it) */
  now: () => number;
}
