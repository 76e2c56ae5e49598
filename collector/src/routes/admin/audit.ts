/** `GET /audit`: the org's admin actions (configuration changes, exports, deletions), newest first. */
import { Router } from 'express';
import type { CollectorDeps } from '../../deps';
import { decodeCursor, encodeCursor, intParam, scopeOf } from './params';
import { storeRead } from './read';

const isId = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;

export function createAuditRouter(deps: CollectorDeps): Router {
  const router = Router();
  router.get('/audit', async (req, res) => {
    const { orgKey } = scopeOf(req, res);
    const limit = intParam('limit', req.query.limit, 50, 1, 500);
    const beforeId = decodeCursor(req.query.cursor, isId);
    const r = await storeRead(deps, () => deps.store.analytics.listAudit({ orgKey, beforeId, limit }));
    res.json({
      data: r.rows.map((a) => ({ id: a.id, ts: a.ts, actor: a.actor, action: a.action, target: a.target, detail: a.detail })),
      next_cursor: r.next ? encodeCursor(r.next) : null,
    });
  });
  return router;
}
