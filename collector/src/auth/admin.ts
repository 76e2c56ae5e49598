/**
 * Authentication of the admin API (`/v1/admin/...`, `PUT /api/journeys/:journey`): the org's
 * secret API key in `X-API-Key`, and, when the org configures `jwt`, a verified
 * `Authorization: Bearer <jwt>` as well (see `jwt.ts`). On success `res.locals.org` is the key's
 * org (and `res.locals.jwtSubject` the token's subject). The public ingest paths never pass
 * through here and never grant read access.
 */
import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Org, Registry } from '../config/registry';
import { sendError } from '../http/errors';
import { createJwtCheck, type JwtCheck } from './jwt';

/** What admin routes find in `res.locals` after {@link adminAuth}. */
export interface AdminLocals {
  org: Org;
  /** `sub` of the verified JWT, when the org requires one */
  jwtSubject?: string;
}

/** 401 without a key or with an unknown one; 403 when the request names another org (`?org=`). */
export function adminAuth(registry: Registry): RequestHandler {
  const checks = new WeakMap<Org['config'], JwtCheck>();
  return (req, res, next) => {
    const key = req.get('x-api-key');
    if (!key) {
      return sendError(res, 401, 'unauthorized', 'expected the org API key in the X-API-Key header, got none', {
        headers: { 'WWW-Authenticate': 'ApiKey header="X-API-Key"' },
      });
    }
    const org = lookup(registry, key);
    if (!org) return sendError(res, 401, 'invalid_api_key', 'the X-API-Key header does not match any org API key');
    const named = typeof req.query?.org === 'string' ? req.query.org : undefined;
    if (named !== undefined && named !== org.config.key) {
      return sendError(res, 403, 'forbidden', `this API key belongs to org "${org.config.key}", not "${named}"`);
    }
    (res.locals as AdminLocals).org = org;
    const jwt = org.config.jwt;
    if (!jwt) return next();
    let check = checks.get(org.config);
    if (!check) checks.set(org.config, (check = createJwtCheck(jwt)));
    check(req.get('authorization'), org.config.key).then((r) => {
      if ('subject' in r) {
        (res.locals as AdminLocals).jwtSubject = r.subject;
        return next();
      }
      const headers: Record<string, string> = r.status === 401 ? { 'WWW-Authenticate': 'Bearer' } : r.status === 503 ? { 'Retry-After': '5' } : {};
      sendError(res, r.status, r.code, r.message, { headers });
    }, next);
  };
}

/** Map lookup, then a constant-time comparison so the match itself leaks no timing. */
function lookup(registry: Registry, key: string): Org | undefined {
  const org = registry.orgByApiKey(key);
  if (!org) return undefined;
  const a = Buffer.from(key);
  return org.config.apiKeys.some((k) => {
    const b = Buffer.from(k);
    return a.length === b.length && timingSafeEqual(a, b);
  })
    ? org
    : undefined;
}
