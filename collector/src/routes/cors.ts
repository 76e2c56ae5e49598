/**
 * CORS for the ingest paths. Every answer, errors included, carries the headers that let the
 * sending page read it: a 403 for an origin the journey does not allow, a 404 for an unknown org
 * or journey, a 400 for a bad batch all reach the page (and the SDK's debug log) as JSON with
 * their reason, instead of an opaque "CORS error". This opens nothing: the answers hold no data,
 * the origin check is the POST handler's (403), and the collector sets no cookies, so no
 * credentials are allowed. A preflight carries no body and cannot know the journey, so it is
 * answered for any origin; the POST then says why it is refused.
 */
import cors from 'cors';
import type { RequestHandler } from 'express';

/** The request's origin is echoed (with `Vary: Origin`); no origin, no header. */
export const ingestCors: RequestHandler = cors({
  origin: true,
  methods: ['POST'],
  allowedHeaders: ['Content-Type', 'Content-Encoding'],
  maxAge: 86_400,
});
