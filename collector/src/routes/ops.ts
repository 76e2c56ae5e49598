/** `GET /health` (200 when the store answers, 503 otherwise) and `GET /metrics` (Prometheus text). */
import { Router } from 'express';
import type { CollectorDeps } from '../deps';
import { sendError } from '../http/errors';

export function createOpsRouter(deps: CollectorDeps): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    try {
      await deps.store.ping();
      res.setHeader('Cache-Control', 'no-store');
      res.json({ status: 'ok', store: deps.store.engine });
    } catch {
      sendError(res, 503, 'store_unavailable', 'the event store does not answer', {
        headers: { 'Retry-After': String(deps.config.storeRetryAfterSeconds) },
      });
    }
  });
  router.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  return router;
}
