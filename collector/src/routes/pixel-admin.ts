/**
 * `GET /v1/admin/pixel/sessions/:sid` and `/users/:uid`: the merged session and user records of
 * the pixel, in the pixel's own field names (`unixtimestamp`, the merged properties, `eid`, `sid`,
 * `uid`, plus `si`).
 */
import { Router, type Request, type Response } from 'express';
import type { AdminLocals } from '../auth/admin';
import type { CollectorDeps } from '../deps';
import { HttpError, storeFailure } from '../http/errors';
import type { PixelRecord } from '../store/types';
import { pixelIdParam } from './pixel-params';

export function createPixelAdminRouter(deps: CollectorDeps): Router {
  const router = Router();
  const read = (kind: 'session' | 'user', param: 'sid' | 'uid') => async (req: Request, res: Response) => {
    const { org } = res.locals as AdminLocals;
    const id = pixelIdParam(param, req.params[param]);
    let rec: PixelRecord | undefined;
    try {
      await deps.processor.drain(); // read your writes: apply what this process has committed
      rec = await deps.store.getPixelRecord(kind, org.config.key, id);
    } catch (err) {
      throw storeFailure(err);
    }
    if (!rec) throw new HttpError(404, `${kind}_not_found`, `no pixel ${kind} "${id}" in org "${org.config.key}"`);
    res.json({ data: toRecordShape(rec) });
  };
  router.get('/pixel/sessions/:sid', deps.adminAuth, read('session', 'sid'));
  router.get('/pixel/users/:uid', deps.adminAuth, read('user', 'uid'));
  return router;
}

/** The record as documented: timestamp first, then the merged properties, then the ids. */
export function toRecordShape(r: PixelRecord): Record<string, string | number> {
  return { unixtimestamp: r.unixtimestamp, ...r.props, eid: r.eid, sid: r.sid, uid: r.uid, si: r.site };
}
