/** Query-string parsing shared by the admin routes: every bad value is a 400 naming it. */
import type { Request, Response } from 'express';
import { ENVIRONMENTS } from '@waymark/core/schema';
import type { AdminLocals } from '../../auth/admin';
import { badRequest } from '../../analytics/errors';
import type { Scope } from '../../analytics/reader';
import type { ContentKind } from '../../store/types';

export { actorOf } from '../../auth/actor';

const ID = /^[\w.:@#-]{1,128}$/;

/** The org of the API key and the `env` parameter (default `prod`). */
export function scopeOf(req: Request, res: Response): Scope {
  const env = req.query.env ?? 'prod';
  if (typeof env !== 'string' || !(ENVIRONMENTS as readonly string[]).includes(env)) {
    throw badRequest('env', ENVIRONMENTS.join(' | '), env);
  }
  return { orgKey: (res.locals as AdminLocals).org.config.key, env };
}

/** A path or query identifier (tour id, client id...): 1–128 characters of `[\w.:@#-]`. */
export function idParam(name: string, value: unknown): string {
  if (typeof value !== 'string' || !ID.test(value)) throw badRequest(name, 'an identifier of 1-128 letters, digits, _ . : @ # -', value);
  return value;
}

const SITE = /^[\w.:@#-]{1,253}$/;
/** A pixel site (`si`): a host name or similar, 1–253 characters of `[\w.:@#-]`. */
export function siteParam(value: unknown): string {
  if (typeof value !== 'string' || !SITE.test(value)) throw badRequest('site', 'a site of 1-253 letters, digits, _ . : @ # -', value);
  return value;
}

/** An integer in `[min, max]`, or the default when absent. */
export function intParam(name: string, value: unknown, def: number, min: number, max: number): number {
  if (value === undefined) return def;
  const n = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : NaN;
  if (!(n >= min && n <= max)) throw badRequest(name, `an integer from ${min} to ${max}`, value);
  return n;
}

const KINDS: readonly ContentKind[] = ['tour', 'content', 'journey', 'site', 'none'];
export function kindParam(value: unknown): ContentKind {
  if (typeof value !== 'string' || !(KINDS as readonly string[]).includes(value)) throw badRequest('kind', KINDS.join(' | '), value);
  return value as ContentKind;
}

/** Opaque pagination cursors: base64url JSON. */
export const encodeCursor = (c: unknown): string => Buffer.from(JSON.stringify(c)).toString('base64url');

export function decodeCursor<T>(value: unknown, valid: (v: unknown) => v is T): T | undefined {
  if (value === undefined) return undefined;
  try {
    const v = JSON.parse(Buffer.from(String(value), 'base64url').toString('utf8')) as unknown;
    if (valid(v)) return v;
  } catch {
    // fall through to the 400
  }
  throw badRequest('cursor', 'a cursor returned by a previous page', value);
}
