/** Who performed an admin action, for the audit log: never the secret itself. */
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import type { AdminLocals } from './admin';

/** `jwt:<sub>` when a JWT was verified, else `api_key:<first 12 hex of its SHA-256>`. */
export function actorOf(req: Request, res: Response): string {
  const sub = (res.locals as AdminLocals).jwtSubject;
  if (sub) return `jwt:${sub}`;
  return `api_key:${createHash('sha256').update(req.get('x-api-key') ?? '').digest('hex').slice(0, 12)}`;
}
