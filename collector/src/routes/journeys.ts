/**
 * `PUT /api/journeys/:journey`: sets the `allowedOrigins` of a journey the configuration declares,
 * at run time, persisted in the store (it outlives restarts and overrides the configuration file).
 * An unknown journey is a 404: journeys are declared in the configuration, not created here.
 * Authenticated with the org's API key in `X-API-Key`; the org is the key's.
 */
import express, { Router } from 'express';
import { z } from 'zod';
import type { AdminLocals } from '../auth/admin';
import { actorOf } from '../auth/actor';
import type { CollectorDeps } from '../deps';
import { HttpError, StoreUnavailableError } from '../http/errors';

const bodySchema = z.object({
  allowedOrigins: z.array(z.string().regex(/^https?:\/\/[^/\s?#]+$/, 'expected an origin such as "https://app.example.com"')).max(100),
});
const journeyKey = /^[A-Za-z0-9][\w.:-]{0,127}$/;

export function createJourneysRouter(deps: CollectorDeps): Router {
  const router = Router();
  router.put('/api/journeys/:journey', deps.adminAuth, express.json({ limit: '64kb', type: () => true }), async (req, res) => {
    const { org } = res.locals as AdminLocals;
    const key = String(req.params.journey);
    if (!journeyKey.test(key)) throw new HttpError(400, 'invalid_journey_key', `expected a journey key of letters, digits, _ . : -, got "${key.slice(0, 140)}"`);
    if (!org.journeys.has(key)) {
      throw new HttpError(404, 'journey_not_found', `unknown journey "${key}" in org "${org.config.key}": declare it in the configuration (orgs[].journeys) first`);
    }
    const parsed = bodySchema.safeParse(req.body);
    if (!parsed.success) {
      const i = parsed.error.issues[0]!;
      throw new HttpError(400, 'invalid_body', `${['body', ...i.path].join('.')}: ${i.message}`);
    }
    const settings = { orgKey: org.config.key, journeyKey: key, allowedOrigins: parsed.data.allowedOrigins, updatedAt: deps.now() };
    try {
      await deps.store.saveJourneySettings(settings);
      await deps.store.analytics.audit({ orgKey: org.config.key, actor: actorOf(req, res), action: 'journey_settings', target: key, detail: { allowedOrigins: settings.allowedOrigins } });
    } catch (err) {
      throw new StoreUnavailableError(err);
    }
    const j = deps.registry.setJourney(settings);
    deps.logger.info({ org: org.config.key, journey: key, allowedOrigins: j.allowedOrigins }, 'journey settings changed');
    res.json({ data: { orgKey: org.config.key, journeyKey: key, allowedOrigins: parsed.data.allowedOrigins } });
  });
  return router;
}
