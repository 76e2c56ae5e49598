/**
 * The raw-URL pixel: `GET|POST /log` answers the generated eid as text/plain; `GET /pixel.gif`
 * stores the same way and answers a 1×1 transparent GIF, `Cache-Control: no-store`, eid in
 * `X-Waymark-Eid`. Unknown site: 404. No cookie is set, no IP stored. An event of an erased uid
 * gets the same answer and is discarded.
 */
import express, { Router, type Request, type Response } from 'express';
import type { CollectorDeps } from '../deps';
import { HttpError, storeFailure } from '../http/errors';
import type { RawEvent } from '../store/types';
import { rateLimited } from './ingest';
import { parsePixelEvent, type PixelEvent } from './pixel-params';

const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

export function createPixelRouter(deps: CollectorDeps): Router {
  const router = Router();
  const form = express.text({ type: 'application/x-www-form-urlencoded', limit: '64kb' });
  const handle = (kind: 'text' | 'gif') => (req: Request, res: Response, next: (e?: unknown) => void) => {
    logPixel(deps, req)
      .then((eid) => {
        res.setHeader('Cache-Control', 'no-store');
        res.setHeader('X-Waymark-Eid', eid);
        if (kind === 'gif') res.type('image/gif').send(GIF);
        else res.type('text/plain').send(eid);
      })
      .catch(next);
  };
  router.get('/log', handle('text'));
  router.post('/log', form, handle('text'));
  router.get('/pixel.gif', handle('gif'));
  return router;
}

async function logPixel(deps: CollectorDeps, req: Request): Promise<string> {
  const q = req.originalUrl.indexOf('?');
  const query = q < 0 ? '' : req.originalUrl.slice(q + 1);
  const body = typeof req.body === 'string' ? req.body : undefined;
  const ev = parsePixelEvent(query, body, deps.now());
  const org = deps.registry.orgBySite(ev.si);
  if (!org) throw new HttpError(404, 'site_not_found', `no org declares the site "${ev.si}"`);
  const wait = await deps.limiter.consume(`pixel:${org.config.key}#${ev.si}`, org.config.rateLimit);
  if (wait !== null) throw rateLimited(wait, `rate limit of org "${org.config.key}" site "${ev.si}" exceeded`);
  let result;
  try {
    result = await deps.store.append([toRaw(org.config.key, ev)]);
  } catch (err) {
    throw storeFailure(err);
  }
  deps.processor.schedule();
  // an erased uid (tombstone): answered as usual, discarded by the store
  if (result.erased) deps.metrics.eventsErased.inc({ endpoint: 'pixel' });
  else deps.metrics.eventsAccepted.inc({ endpoint: 'pixel' });
  return ev.eid;
}

function toRaw(orgKey: string, ev: PixelEvent): RawEvent {
  return {
    orgKey,
    env: 'prod',
    contentKind: 'site',
    contentId: ev.si,
    ts: ev.unixtimestamp,
    eventId: ev.eid,
    sessionId: ev.sid,
    clientId: ev.uid,
    type: 'pixel',
    source: 'pixel',
    json: JSON.stringify(ev),
  };
}
