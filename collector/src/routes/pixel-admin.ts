/**
 * `GET /v1/admin/pixel/sessions/:sid` and `/users/:uid`: the merged pixel records,
 * in its field names (`unixtimestamp`, the merged properties, `eid`, `sid`, `uid`, plus `si`).
 */
import { Router, type Request, type Response } from 'express';
import type { AdminLocals } from '../auth/admin';
import type { CollectorDeps } from '../deps';
import { HttpError, StoreUnavailableError } from '../http/errors';
import type { PixelRecord } from '../store/types';

export function createPixelAdminRouter(deps: CollectorDeps): Router {
  const router = Router();
  const read = (kind: 'session' | 'user') => async (req: Request, res: Response) => {
    const { org } = res.locals as AdminLocals;
    const id = String(req.params.id);
    let rec: PixelRecord | undefined;
    try {
      await deps.processor.drain(); // read your writes: apply what this process has committed
      rec = await deps.store.getPixelRecord(kind, org.config.key, id);
    } catch (err) {
      throw new StoreUnavailableError(err);
    }
    if (!rec) throw new HttpError(404, `${kind}_not_found`, `no pixel ${kind} "${id}" in org "${org.config.key}"`);
    res.json({ data: toRecordShape(rec) });
  };
  router.get('/pixel/sessions/:id', deps.adminAuth, read('session'));
  router.get('/pixel/users/:id', deps.adminAuth, read('user'));
  return router;
}

/** The record as documented: timestamp first, then the merged properties, then the ids. */
export function toRecordShape(r: PixelRecord): Record<string, string | number> {
  return { unixtimestamp: r.unixtimestamp, ...r.props, eid: r.eid, sid: r.sid, uid: r.uid, si: r.site };
}
