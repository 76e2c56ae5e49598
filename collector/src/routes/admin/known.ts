/**
 * 404 for a journey, tour, content item or pixel site the org has never seen, so a typo answers
 * "unknown tour" instead of zeros. Known means declared in the configuration (journeys, sites)
 * or counted in any environment of the org. Runs before the analytics routes; a malformed id is
 * left to them (400).
 */
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { AdminLocals } from '../../auth/admin';
import type { CollectorDeps } from '../../deps';
import { HttpError } from '../../http/errors';
import type { ContentKind } from '../../store/types';
import { storeRead } from './read';

const ID = /^[\w.:@#-]{1,128}$/;

export function createKnownEntityGuard(deps: CollectorDeps): Router {
  const router = Router();
  const guard = (kind: ContentKind, param: string, label: string) => async (req: Request, _res: Response, next: NextFunction) => {
    const id = req.params[param];
    if (typeof id !== 'string' || !ID.test(id)) return next();
    const org = (_res.locals as AdminLocals).org;
    const declared = kind === 'journey' ? org.journeys.has(id) : kind === 'site' ? org.config.sites.includes(id) : false;
    if (declared || (await storeRead(deps, () => deps.store.analytics.contentKnown({ orgKey: org.config.key, contentKind: kind, contentId: id })))) {
      return next();
    }
    throw new HttpError(404, `unknown_${kind}`, `unknown ${label} "${id}": org "${org.config.key}" has no event of it in any environment`);
  };
  router.get(['/analytics/tours/:tourId', '/analytics/tours/:tourId/funnel', '/analytics/tours/:tourId/detail'], guard('tour', 'tourId', 'tour'));
  router.get('/analytics/journeys/:journeyKey', guard('journey', 'journeyKey', 'journey'));
  router.get('/analytics/content/:contentId', guard('content', 'contentId', 'content item'));
  router.get('/analytics/sites/:site', guard('site', 'site', 'pixel site'));
  return router;
}
