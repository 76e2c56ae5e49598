/**
 * The analytics admin API (`/v1/admin/...`): every route needs the org's API key (`X-API-Key`)
 * and, when the org configures one, a JWT (`Authorization: Bearer`). The OpenAPI document is
 * public (it describes, it grants nothing).
 */
import { Router } from 'express';
import type { CollectorDeps } from '../../deps';
import { openApiDocument } from '../../openapi';
import { createActivityRouter } from './activity';
import { createAnalyticsRouter } from './analytics';
import { createAuditRouter } from './audit';
import { createDashboardApiRouter } from './dashboard';
import { createExportRouter } from './export';
import { createKnownEntityGuard } from './known';
import { createUsersRouter } from './users';

/** Builds the analytics admin router from the collector's dependencies. */
export function createAdminRouter(deps: CollectorDeps): Router {
  const router = Router();
  router.get('/openapi.json', (_req, res) => void res.json(openApiDocument()));
  const authed = Router();
  authed.use(deps.adminAuth);
  authed.use(createKnownEntityGuard(deps));
  authed.use(createAnalyticsRouter(deps));
  authed.use(createDashboardApiRouter(deps));
  authed.use(createActivityRouter(deps));
  authed.use(createExportRouter(deps));
  authed.use(createUsersRouter(deps));
  authed.use(createAuditRouter(deps));
  router.use(authed);
  return router;
}
