/**
 * The activity feed's three access patterns (`Activity.UserEvents`): by user,
 * by content and by session, newest first, cursor-paginated (`next_cursor` → `?cursor=`).
 */
import { Router, type Request, type Response } from 'express';
import type { CollectorDeps } from '../../deps';
import type { ActivityBy, ActivityCursor } from '../../analytics/reader';
import { decodeCursor, encodeCursor, idParam, intParam, kindParam, scopeOf } from './params';
import { storeRead } from './read';

const isCursor = (v: unknown): v is ActivityCursor =>
  typeof v === 'object' && v !== null && Number.isSafeInteger((v as ActivityCursor).ts) && typeof (v as ActivityCursor).eventId === 'string';

export function createActivityRouter(deps: CollectorDeps): Router {
  const router = Router();
  const page = (by: (req: Request) => ActivityBy) => async (req: Request, res: Response) => {
    const scope = scopeOf(req, res);
    const key = by(req);
    const limit = intParam('limit', req.query.limit, 50, 1, 500);
    const before = decodeCursor(req.query.cursor, isCursor);
    const r = await storeRead(deps, () => deps.store.analytics.activity({ ...scope, ...key, before, limit }));
    res.json({ data: r.rows, next_cursor: r.next ? encodeCursor(r.next) : null });
  };
  router.get('/activity/users/:clientId', page((req) => ({ by: 'user', clientId: idParam('clientId', req.params.clientId) })));
  router.get('/activity/sessions/:sessionId', page((req) => ({ by: 'session', sessionId: idParam('sessionId', req.params.sessionId) })));
  router.get(
    '/activity/content/:kind/:contentId',
    page((req) => ({ by: 'content', contentKind: kindParam(req.params.kind), contentId: idParam('contentId', req.params.contentId) })),
  );
  return router;
}
