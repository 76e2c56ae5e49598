/**
 * `GET /health` and `GET /metrics` (Prometheus text). Health (`health.ts`): `200 { status: "ok" }`;
 * `200 { status: "degraded" }` while events wait in the dead letters; `503 { status: "failing",
 * error }` when the processor keeps failing or lags behind `processor.maxLagSeconds`; `503
 * store_unavailable` when the store does not answer. Every answer carries the details.
 */
import { Router } from 'express';
import type { CollectorDeps } from '../deps';
import { checkHealth } from '../health';
import { sendError } from '../http/errors';

export function createOpsRouter(deps: CollectorDeps): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    let health;
    try {
      health = await checkHealth(deps);
    } catch {
      return sendError(res, 503, 'store_unavailable', 'the event store does not answer', {
        headers: { 'Retry-After': String(deps.config.storeRetryAfterSeconds) },
      });
    }
    if (health.status !== 'failing') return void res.json(health);
    const first = health.problems.find((p) => p.code !== 'dead_letters')!;
    res.status(503).json({ ...health, error: { code: first.code, message: first.message } });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  return router;
}
