/**
 * `createCollector(options)`: the whole collector as an Express app that does NOT listen, so users
 * mount it in their own server and tests call it directly. `server.ts` adds listening and
 * graceful shutdown; `cli.ts` adds configuration loading.
 */
import express, { type Express } from 'express';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { pino, type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { adminAuth } from './auth/admin';
import { createRegistry, type Registry } from './config/registry';
import { parseConfig, type CollectorConfig, type ConfigInput } from './config/schema';
import type { CollectorDeps } from './deps';
import { errorHandler, sendError, type LoggedError } from './http/errors';
import { createMetrics } from './http/metrics';
import { processorLagSeconds } from './health';
import type { RateLimiter } from './http/rate-limit';
import { createProcessor, type Processor } from './processor';
import { fillReadModels } from './readmodel-fill';
import { createIdleProcessor } from './processor-cli';
import { schedulePurge } from './retention';
import { createAdminRouter } from './routes/admin/index';
import { createDashboardRouter } from './dashboard/router';
import { ingestCors } from './routes/cors';
import { createIngestRouter } from './routes/ingest';
import { createJourneysRouter } from './routes/journeys';
import { createOpsRouter } from './routes/ops';
import { createPixelAdminRouter } from './routes/pixel-admin';
import { createPixelRouter } from './routes/pixel';
import { createStaticRouter, type StaticPaths } from './routes/static';
import { openRateLimiter, openStore } from './scale-out';
import type { Store } from './store/types';
import type { SqliteStore } from './store/sqlite/index';

/** Options of {@link createCollector}. */
export interface CollectorOptions {
  /** the configuration (validated here; defaults applied) */
  config: ConfigInput | CollectorConfig;
  /** a store; default: SQLite at `<dataDir>/waymark.db` */
  store?: Store;
  /** where the default SQLite file lives (default `WAYMARK_DATA_DIR`, else `.waymark-data` under the cwd) */
  dataDir?: string;
  /** a pino logger; default: JSON to stdout at `config.logLevel` */
  logger?: Logger;
  /** rate limiter; default: shared through Redis when `config.redis.url` is set, else in memory (per process) */
  limiter?: RateLimiter;
  /** run the outbox processor in this process (default true); false when separate `processor` processes do it */
  inProcessProcessor?: boolean;
  /** run the retention purge on a timer (default true) */
  scheduleRetention?: boolean;
  /** where `/embed/v1.js` and `/examples/` are read from */
  staticPaths?: StaticPaths;
  /** clock, ms (default `Date.now`) */
  now?: () => number;
}

/** A collector: its app (not listening), store and a `close()` that drains and closes everything. */
export interface Collector {
  app: Express;
  store: Store;
  processor: Processor;
  registry: Registry;
  config: CollectorConfig;
  logger: Logger;
  /** stops timers, drains the processor, closes the store (call after the HTTP server closed) */
  close(): Promise<void>;
}

/** Default data directory: `WAYMARK_DATA_DIR`, else `.waymark-data` under the cwd. */
export function defaultDataDir(): string {
  return resolve(process.env.WAYMARK_DATA_DIR || '.waymark-data');
}

/**
 * Builds a collector: migrates the store, loads run-time journey settings, starts the processor.
 * @example
 * const { app, close } = await createCollector({ config: { orgs: [{ key: 'acme', apiKeys: ['sk_live_0123456789abcdef'], journeys: [{ key: 'signup' }] }] } });
 * const server = app.listen(8787);
 */
export async function createCollector(options: CollectorOptions): Promise<Collector> {
  const config = parseConfig(options.config);
  const logger = options.logger ?? pino({ level: config.logLevel, base: { service: 'waymark-collector' } });
  const dataDir = options.dataDir ?? defaultDataDir();
  const store = options.store ?? openStore(config, dataDir);
  await store.migrate();
  await fillReadModels(store, config.retention, logger, (options.now ?? Date.now)());
  const registry = createRegistry(config, await store.listJourneySettings());
  // the collector's own SQLite file: the processor runs in a worker thread with its own connection,
  // which also takes over WAL checkpoints so that no request ever pays for one
  const worker =
    !options.store && store.engine === 'sqlite' && config.processor.mode === 'worker'
      ? { filename: join(dataDir, 'waymark.db'), synchronous: config.sqlite.synchronous }
      : undefined;
  if (worker) (store as SqliteStore).db.pragma('wal_autocheckpoint = 0');
  const processor =
    options.inProcessProcessor === false
      ? createIdleProcessor()
      : createProcessor({ store, logger, batchSize: config.processor.batchSize, worker });
  const shared = options.limiter ? undefined : openRateLimiter(config);
  const now = options.now ?? Date.now;
  const deps: CollectorDeps = {
    config,
    registry,
    store,
    processor,
    logger,
    metrics: createMetrics(() => store.outboxBacklog(), { lagSeconds: () => processorLagSeconds(store, now), deadLetters: () => store.deadLetters.count() }),
    limiter: options.limiter ?? shared!.limiter,
    adminAuth: adminAuth(registry),
    now,
  };
  const stopPurge = options.scheduleRetention === false ? () => {} : schedulePurge(store, config.retention, logger);
  processor.schedule(); // outbox rows left by a previous run (crash) are applied now

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.locals.collector = deps;
  app.use(requestLogger(logger));
  app.use(createOpsRouter(deps));
  app.use(createIngestRouter(deps));
  app.use(createPixelRouter(deps));
  app.use(createJourneysRouter(deps));
  app.use('/v1/admin', createPixelAdminRouter(deps));
  app.use('/v1/admin', createAdminRouter(deps));
  app.use(createDashboardRouter());
  app.use(createStaticRouter(options.staticPaths));
  // a page that posts to a wrong path reads this 404's reason too (the same CORS as the ingest paths)
  app.use(ingestCors, (req, res) => sendError(res, 404, 'not_found', `no route for ${req.method} ${req.path}`));
  app.use(errorHandler({ logger, retryAfterSeconds: config.storeRetryAfterSeconds }));

  let closed: Promise<void> | undefined;
  return {
    app,
    store,
    processor,
    registry,
    config,
    logger,
    close() {
      closed ??= (async () => {
        stopPurge();
        await processor.stop().catch((err) => logger.error({ err }, 'processor drain failed at close'));
        await store.close();
        await shared?.close();
      })();
      return closed;
    },
  };
}

/**
 * One JSON line per request with a request id (`X-Request-Id` echoed or generated). Only the
 * method and the path are logged: no query string (pixel properties), no IP, no headers.
 */
function requestLogger(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId(req, res) {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && /^[\w.:-]{1,64}$/.test(given) ? given : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    // our serializers get the request and response themselves: pino-http's default wrapping would
    // first copy every header into an object on each request, only for this to pick three fields
    wrapSerializers: false,
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
      // an error answer adds its code and reason (set by sendError), e.g. `"error":{"code":"origin_not_allowed",…}`
      res: (res: { statusCode: number; locals?: { error?: LoggedError } }) =>
        res.locals?.error ? { statusCode: res.statusCode, error: res.locals.error } : { statusCode: res.statusCode },
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
  });
}
