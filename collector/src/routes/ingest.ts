/**
 * `POST /api/ingest` (journeys) and `POST /v1/sdk/events` (tours and content): the same batch
 * format, checks and store. Order of checks: body (413/400) → org/journey (404) → origin (403) →
 * rate limits (429) → event validation (400) → one store transaction (204; 400 when the store
 * refuses the data; 503 + Retry-After when it is unavailable). Events of an erased user are
 * acknowledged with the batch's 204 and discarded by the store (a tombstone), so SDK retries stop.
 */
import express, { Router, type Request, type Response } from 'express';
import { validateBatch, type ValidBatch } from '@waymark/core/schema';
import type { Journey, Org } from '../config/registry';
import type { CollectorDeps } from '../deps';
import { HttpError, StoreUnavailableError, storeFailure } from '../http/errors';
import { toRawEvents } from './raw-events';
import { ingestCors } from './cors';

type Endpoint = 'ingest' | 'sdk';

export function createIngestRouter(deps: CollectorDeps): Router {
  const router = Router();
  // Any content type is parsed as JSON: sendBeacon sends text/plain, and a body that is not JSON
  // gets a 400 either way. The limit applies to the decompressed body (gzip/deflate accepted).
  const body = express.json({ limit: deps.config.limits.maxBodyBytes, type: () => true, inflate: true, strict: true });
  for (const [path, endpoint] of [['/api/ingest', 'ingest'], ['/v1/sdk/events', 'sdk']] as const) {
    router.options(path, ingestCors);
    router.post(path, ingestCors, body, (req, res, next) => {
      ingest(deps, endpoint, req, res).catch((err) => {
        if (err instanceof HttpError) deps.metrics.eventsRejected.inc({ reason: err.code });
        deps.metrics.batches.inc({ endpoint, status: err instanceof HttpError ? err.status : err instanceof StoreUnavailableError ? 503 : 500 });
        next(err);
      });
    });
  }
  return router;
}

async function ingest(deps: CollectorDeps, endpoint: Endpoint, req: Request, res: Response): Promise<void> {
  const started = performance.now();
  const input: unknown = req.body;
  if (input === undefined || req.get('content-length') === '0') throw new HttpError(400, 'empty_body', 'expected a JSON batch in the request body, got an empty body');
  const events = (input as { events?: unknown }).events;
  const max = deps.config.limits.maxEventsPerBatch;
  if (Array.isArray(events) && events.length > max) {
    throw new HttpError(413, 'too_many_events', `expected at most ${max} events per batch, got ${events.length}`);
  }
  const ctx = (input as { context?: { orgKey?: unknown; journeyKey?: unknown } }).context;
  const org = typeof ctx?.orgKey === 'string' ? deps.registry.org(ctx.orgKey) : undefined;
  if (!org) {
    const batch = validate(input); // a malformed batch is a 400 before it is a 404
    throw new HttpError(404, 'org_not_found', `unknown org "${batch.context.orgKey}"`);
  }
  const journey = lookupJourney(org, ctx!.journeyKey);
  checkOrigin(req, org, journey);
  await checkRate(deps, req, org, journey);
  const batch = validate(input);
  for (const [i, e] of batch.events.entries()) {
    if (e.journeyKey !== undefined && e.journeyKey !== journey?.key && !org.journeys.has(e.journeyKey)) {
      throw new HttpError(404, 'journey_not_found', `events[${i}].journeyKey: unknown journey "${e.journeyKey}" in org "${org.config.key}"`);
    }
  }
  let result;
  try {
    result = await deps.store.append(toRawEvents(batch));
  } catch (err) {
    throw storeFailure(err);
  }
  deps.processor.schedule();
  deps.metrics.eventsAccepted.inc({ endpoint }, result.inserted);
  if (result.duplicates) deps.metrics.eventsDeduplicated.inc(result.duplicates);
  if (result.erased) deps.metrics.eventsErased.inc({ endpoint }, result.erased);
  countSdkDrops(deps, batch.context.dropped);
  deps.metrics.batches.inc({ endpoint, status: 204 });
  deps.metrics.ingestLatency.observe({ endpoint }, (performance.now() - started) / 1000);
  res.status(204).end();
}

function validate(input: unknown): ValidBatch {
  const r = validateBatch(input);
  if (r.ok) return r.batch;
  const where = r.error.eventIndex !== undefined ? `event ${r.error.eventIndex}, ` : '';
  throw new HttpError(400, 'invalid_batch', `${where}${r.error.path || '(body)'}: ${r.error.message}`, {}, {
    path: r.error.path,
    ...(r.error.eventIndex !== undefined ? { eventIndex: r.error.eventIndex } : {}),
  });
}

function lookupJourney(org: Org, key: unknown): Journey | undefined {
  if (key === undefined) return undefined;
  const j = typeof key === 'string' ? org.journeys.get(key) : undefined;
  if (!j) throw new HttpError(404, 'journey_not_found', `unknown journey "${String(key)}" in org "${org.config.key}"`);
  return j;
}

/**
 * Browsers always send `Origin` on these POSTs; requests without one (servers, the Node SDK) are
 * not origin-checked: allowedOrigins guards against other sites' pages, it is not authentication.
 */
function checkOrigin(req: Request, org: Org, journey: Journey | undefined): void {
  const origin = req.get('origin');
  const allowed = journey ? journey.allowedOrigins : org.config.allowedOrigins;
  if (origin === undefined || allowed.length === 0) return;
  if (!allowed.includes(origin)) {
    throw new HttpError(403, 'origin_not_allowed', `origin "${origin}" is not allowed for ${journey ? `journey "${journey.key}"` : `org "${org.config.key}"`}`);
  }
}

/** Unknown origins (sent, and listed nowhere in the org, and not this collector's own) get the stricter limit first. */
async function checkRate(deps: CollectorDeps, req: Request, org: Org, journey: Journey | undefined): Promise<void> {
  const origin = req.get('origin');
  if (origin !== undefined && !org.knownOrigins.has(origin) && !isSameHost(origin, req.get('host'))) {
    const wait = await deps.limiter.consume(`unknown-origin:${org.config.key}:${origin}`, deps.config.unknownOriginRateLimit);
    if (wait !== null) throw rateLimited(wait, `origin "${origin}" is not listed by org "${org.config.key}" and exceeded its rate limit`);
  }
  const wait = await deps.limiter.consume(`org:${org.config.key}#${journey?.key ?? '*'}`, org.config.rateLimit);
  if (wait !== null) throw rateLimited(wait, `rate limit of org "${org.config.key}"${journey ? ` journey "${journey.key}"` : ''} exceeded`);
}

export function rateLimited(seconds: number, message: string): HttpError {
  return new HttpError(429, 'rate_limited', `${message}; retry in ${seconds} s`, { 'Retry-After': String(seconds) });
}

function isSameHost(origin: string, host: string | undefined): boolean {
  if (!host) return false;
  const i = origin.indexOf('://');
  return i > 0 && origin.slice(i + 3) === host;
}

const SDK_DROP_REASONS = new Set(['rejected', 'queue_overflow', 'too_old']);

/**
 * Events an SDK lost on the way (refused, queue overflow, too old), as its batches report them in
 * `context.dropped`: per reason, or a plain number from older SDKs (counted as `unspecified`).
 */
function countSdkDrops(deps: CollectorDeps, dropped: number | Record<string, number> | undefined): void {
  if (typeof dropped === 'number') {
    if (dropped > 0) deps.metrics.sdkDropped.inc({ reason: 'unspecified' }, dropped);
    return;
  }
  // reasons are client data: only the SDKs' own names become labels, so the series stay bounded
  for (const [reason, n] of Object.entries(dropped ?? {})) if (n > 0) deps.metrics.sdkDropped.inc({ reason: SDK_DROP_REASONS.has(reason) ? reason : 'other' }, n);
}
