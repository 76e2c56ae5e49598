/**
 * CORS for the ingest paths. A preflight carries no body, so it cannot know the journey: it is
 * answered for any origin that some journey of some org accepts; the POST itself then checks
 * the batch's journey (403 otherwise). No credentials: the collector sets no cookies.
 */
import cors from 'cors';
import type { RequestHandler } from 'express';
import type { Registry } from '../config/registry';

export function corsFor(registry: Registry): RequestHandler {
  return cors({
    origin: (origin, cb) => cb(null, origin === undefined ? false : registry.acceptsOrigin(origin)),
    methods: ['POST'],
    allowedHeaders: ['Content-Type', 'Content-Encoding'],
    maxAge: 86_400,
  });
}
