/**
 * The reads the dashboard needs beyond the analytics of one tour or journey: the environments
 * with their event counts, the live figure, the home's entity lists, content items, pixel
 * sites, custom events and the environment's newest activity. Ranges as every analytics route
 * (`env`, `date_from`, `date_to`, `tz`); counters and read models only.
 */
import { Router, type Request, type Response } from 'express';
import type { AdminLocals } from '../../auth/admin';
import type { CollectorDeps } from '../../deps';
import { contentAnalytics } from '../../analytics/content';
import { customEvents } from '../../analytics/custom-events';
import { entities } from '../../analytics/entities';
import { environments, live } from '../../analytics/live';
import { resolveRange } from '../../analytics/range';
import type { ActivityCursor } from '../../analytics/reader';
import { siteAnalytics } from '../../analytics/sites';
import { decodeCursor, encodeCursor, idParam, intParam, scopeOf, siteParam } from './params';
import { storeRead } from './read';

const isCursor = (v: unknown): v is ActivityCursor =>
  typeof v === 'object' && v !== null && Number.isSafeInteger((v as ActivityCursor).ts) && typeof (v as ActivityCursor).eventId === 'string';

export function createDashboardApiRouter(deps: CollectorDeps): Router {
  const router = Router();
  const reader = () => deps.store.analytics;
  const range = (req: Request) => resolveRange(req.query, deps.now());
  const send = (res: Response, data: unknown) => res.json({ data });

  router.get('/analytics/environments', async (req, res) => {
    scopeOf(req, res); // validates env, which the answer covers whatever it is
    const org = (res.locals as AdminLocals).org;
    const r = range(req);
    const about = { key: org.config.key, journeys: [...org.journeys.keys()], sites: org.config.sites };
    send(res, await storeRead(deps, () => environments(reader(), about, r)));
  });

  router.get('/analytics/live', async (req, res) => {
    const scope = scopeOf(req, res);
    send(res, await storeRead(deps, () => live(reader(), scope, deps.now())));
  });

  router.get('/analytics/entities', async (req, res) => {
    const scope = scopeOf(req, res);
    const r = range(req);
    const org = (res.locals as AdminLocals).org;
    const configured = { journey: [...org.journeys.keys()], site: org.config.sites };
    send(res, await storeRead(deps, () => entities(reader(), scope, r, configured)));
  });

  router.get('/analytics/content/:contentId', async (req, res) => {
    const scope = scopeOf(req, res);
    const id = idParam('contentId', req.params.contentId);
    const r = range(req);
    send(res, await storeRead(deps, () => contentAnalytics(reader(), scope, id, r)));
  });

  router.get('/analytics/sites/:site', async (req, res) => {
    const scope = scopeOf(req, res);
    const site = siteParam(req.params.site);
    const r = range(req);
    send(res, await storeRead(deps, () => siteAnalytics(reader(), scope, site, r)));
  });

  router.get('/analytics/custom-events', async (req, res) => {
    const scope = scopeOf(req, res);
    const r = range(req);
    send(res, await storeRead(deps, () => customEvents(reader(), scope, r)));
  });

  router.get('/activity/latest', async (req, res) => {
    const scope = scopeOf(req, res);
    const limit = intParam('limit', req.query.limit, 50, 1, 500);
    const before = decodeCursor(req.query.cursor, isCursor);
    const r = await storeRead(deps, () => reader().latestActivity({ ...scope, before, limit }));
    res.json({ data: r.rows, next_cursor: r.next ? encodeCursor(r.next) : null });
  });

  return router;
}
