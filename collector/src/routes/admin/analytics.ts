/**
 * Analytics reads: tours (the daily and hourly shapes), funnel, tour detail, overview,
 * selector health and journeys. Every route takes `env` (default prod) and, for ranges,
 * `date_from`/`date_to` and an optional IANA `tz`.
 */
import { Router, type Request, type Response } from 'express';
import type { CollectorDeps } from '../../deps';
import { badRequest } from '../../analytics/errors';
import { journeyAnalytics } from '../../analytics/journeys';
import { overview } from '../../analytics/overview';
import { resolveDay, resolveRange } from '../../analytics/range';
import { selectorDrilldown, selectorHealth } from '../../analytics/selectors';
import { tourDaily, tourDetail, tourFunnel, tourHourly } from '../../analytics/tours';
import { idParam, intParam, kindParam, scopeOf } from './params';
import { storeRead } from './read';

export function createAnalyticsRouter(deps: CollectorDeps): Router {
  const router = Router();
  const reader = () => deps.store.analytics;
  const now = () => deps.now();
  const range = (req: Request) => resolveRange(req.query, now());
  const send = (res: Response, data: unknown) => res.json({ data });

  router.get('/analytics/tours/:tourId', async (req, res) => {
    const scope = scopeOf(req, res);
    const tourId = idParam('tourId', req.params.tourId);
    const g = req.query.granularity ?? 'daily';
    if (g === 'hourly') {
      if (req.query.date_from !== undefined || req.query.date_to !== undefined) {
        throw badRequest('granularity', 'date_from/date_to without granularity=hourly (hourly takes ?date=)', g);
      }
      const day = resolveDay(req.query, now());
      return send(res, await storeRead(deps, () => tourHourly(reader(), scope, tourId, day)));
    }
    if (g !== 'daily') throw badRequest('granularity', 'daily | hourly', g);
    const r = range(req);
    send(res, await storeRead(deps, () => tourDaily(reader(), scope, tourId, r)));
  });

  router.get('/analytics/tours/:tourId/funnel', async (req, res) => {
    const scope = scopeOf(req, res);
    const tourId = idParam('tourId', req.params.tourId);
    const r = range(req);
    send(res, await storeRead(deps, () => tourFunnel(reader(), scope, tourId, r)));
  });

  router.get('/analytics/tours/:tourId/detail', async (req, res) => {
    const scope = scopeOf(req, res);
    const tourId = idParam('tourId', req.params.tourId);
    const r = range(req);
    const recent = intParam('recent', req.query.recent, 20, 1, 200);
    send(res, await storeRead(deps, () => tourDetail(reader(), scope, tourId, r, recent)));
  });

  router.get('/analytics/overview', async (req, res) => {
    const scope = scopeOf(req, res);
    const r = range(req);
    const minStarts = intParam('min_starts', req.query.min_starts, 10, 0, 1_000_000_000);
    send(res, await storeRead(deps, () => overview(reader(), scope, r, minStarts)));
  });

  router.get('/analytics/selectors', async (req, res) => {
    const scope = scopeOf(req, res);
    const r = range(req);
    const limit = intParam('limit', req.query.limit, 50, 1, 500);
    send(res, await storeRead(deps, () => selectorHealth(reader(), scope, r, limit)));
  });

  router.get('/analytics/selectors/:kind/:contentId', async (req, res) => {
    const scope = scopeOf(req, res);
    const kind = kindParam(req.params.kind);
    const contentId = idParam('contentId', req.params.contentId);
    const r = range(req);
    const limit = intParam('limit', req.query.limit, 100, 1, 1000);
    send(res, await storeRead(deps, () => selectorDrilldown(reader(), scope, kind, contentId, r, limit)));
  });

  router.get('/analytics/journeys/:journeyKey', async (req, res) => {
    const scope = scopeOf(req, res);
    const key = idParam('journeyKey', req.params.journeyKey);
    const r = range(req);
    const steps = deps.registry.org(scope.orgKey)?.config.journeys.find((j) => j.key === key)?.steps;
    send(res, await storeRead(deps, () => journeyAnalytics(reader(), scope, key, r, steps)));
  });

  return router;
}
