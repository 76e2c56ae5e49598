/**
 * `GET /dead-letters`: the org's events the processor could not apply, newest first, with the
 * error; `POST /dead-letters/retry` (body `{ "ids"?: [..], "limit"?: n }`): applies them again after
 * a fix (those that still fail stay, with `attempts` + 1). Retries are audited.
 */
import express, { Router } from 'express';
import { z } from 'zod';
import type { CollectorDeps } from '../../deps';
import type { DeadLetter } from '../../store/dead-letters';
import { aggregate } from '../../rollups/aggregate';
import { HttpError } from '../../http/errors';
import { actorOf, decodeCursor, encodeCursor, intParam, scopeOf } from './params';
import { storeRead } from './read';

const isId = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;
const iso = (ms: number) => new Date(ms).toISOString();
const retryBody = z.object({ ids: z.array(z.number().int().positive()).min(1).max(10_000).optional(), limit: z.number().int().min(1).max(10_000).optional() }).strict();

/** The API's shape of a dead letter. */
export function deadLetterJson(d: DeadLetter) {
  return {
    id: d.id, event_id: d.eventId, type: d.type, env: d.env, source: d.source, ts: iso(d.ts), received_at: iso(d.receivedAt),
    session_id: d.sessionId, client_id: d.clientId, error: { code: d.errorCode, message: d.error }, failed_at: iso(d.failedAt), attempts: d.attempts,
  };
}

export function createDeadLettersRouter(deps: CollectorDeps): Router {
  const router = Router();
  router.get('/dead-letters', async (req, res) => {
    const { orgKey } = scopeOf(req, res);
    const limit = intParam('limit', req.query.limit, 50, 1, 500);
    const beforeId = decodeCursor(req.query.cursor, isId);
    const r = await storeRead(deps, () => deps.store.deadLetters.list({ orgKey, beforeId, limit }));
    res.json({ data: r.rows.map(deadLetterJson), next_cursor: r.next ? encodeCursor(r.next) : null });
  });
  router.post('/dead-letters/retry', express.json({ limit: '256kb', type: () => true }), async (req, res) => {
    const { orgKey } = scopeOf(req, res);
    const body = retryBody.safeParse(req.body ?? {});
    if (!body.success) {
      const i = body.error.issues[0]!;
      throw new HttpError(400, 'invalid_body', `${['body', ...i.path].join('.')}: ${i.message}`);
    }
    const { ids, limit = 10_000 } = body.data;
    const r = await storeRead(deps, () => deps.store.deadLetters.retry({ orgKey, ids, limit }, aggregate));
    const remaining = await storeRead(deps, () => deps.store.deadLetters.count(orgKey));
    await storeRead(deps, () => deps.store.analytics.audit({
      orgKey, actor: actorOf(req, res), action: 'retry_dead_letters', target: ids ? ids.join(',').slice(0, 200) : 'all', detail: { ...r, remaining },
    }));
    res.json({ data: { ...r, remaining } });
  });
  return router;
}
