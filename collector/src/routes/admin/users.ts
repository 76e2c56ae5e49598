/**
 * `DELETE /users/:clientId`: erases one user's data (SDK clientId or pixel uid): raw events,
 * activity, pixel records, with the rollups corrected by what their events had counted. Audited.
 * The user is tombstoned for the raw-event retention: their events arriving later are
 * acknowledged and discarded, so an SDK retrying its queue cannot bring them back.
 */
import { Router } from 'express';
import type { CollectorDeps } from '../../deps';
import { aggregate } from '../../rollups/aggregate';
import { actorOf, idParam, scopeOf } from './params';
import { storeRead } from './read';

export function createUsersRouter(deps: CollectorDeps): Router {
  const router = Router();
  router.delete('/users/:clientId', async (req, res) => {
    const { orgKey } = scopeOf(req, res);
    const clientId = idParam('clientId', req.params.clientId);
    const result = await storeRead(deps, () => deps.store.analytics.deleteUser(orgKey, clientId, aggregate));
    // one spelling: the audit entry's detail is the answer's `deleted`
    const deleted = { raw_events: result.rawEvents, activity: result.activity, pixel_records: result.pixelRecords, counters: result.counters };
    await storeRead(deps, () => deps.store.analytics.audit({ orgKey, actor: actorOf(req, res), action: 'delete_user', target: clientId, detail: deleted }));
    res.json({ data: { client_id: clientId, deleted } });
  });
  return router;
}
