/**
 * Express / Connect middleware that records a `page_view` for every server-rendered HTML page.
 * Privacy first: query values are stripped unless allow-listed, Express route patterns
 * (`/orders/:id`) replace concrete paths, cross-site referrers are cut to their origin, and no
 * header, cookie or IP address is read except Host and Referer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NodeTracker, ScopedTracker, TrackContext } from './types';

/** The parts of an Express request the middleware uses when they exist (Connect has none). */
export interface PageRequest extends IncomingMessage {
  originalUrl?: string;
  baseUrl?: string;
  protocol?: string;
  route?: { path?: unknown };
  /** set by the middleware: a tracker bound to this request's identity */
  waymark?: ScopedTracker;
}

/** Options of {@link pageViews}. */
export interface PageViewOptions {
  /** the visitor's ids (e.g. from your own session); default: ids generated per request */
  identify?: (req: PageRequest) => Pick<TrackContext, 'sessionId' | 'clientId'> | undefined;
  /** query parameters whose values are kept (e.g. `utm_source`); others keep only their name */
  allowQuery?: readonly string[];
  /** which responses count as page views; default GET, status below 400, `text/html` */
  filter?: (req: PageRequest, res: ServerResponse) => boolean;
  /** the page title to record (you know it when rendering); default none */
  title?: (req: PageRequest, res: ServerResponse) => string | undefined;
  /** use the Express route pattern instead of the concrete path; default true */
  routePatterns?: boolean;
}

type Next = (err?: unknown) => void;

declare global {
  // Express's own request type gains the tracker the middleware puts on it.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** set by `pageViews()`: a tracker bound to this request's identity */
      waymark?: ScopedTracker;
    }
  }
}

function defaultFilter(req: PageRequest, res: ServerResponse): boolean {
  const type = String(res.getHeader('content-type') ?? '');
  return req.method === 'GET' && res.statusCode < 400 && type.includes('text/html');
}

/** Keeps every query name, but only the allow-listed values: `?q=secret&utm_source=x` → `?q&utm_source=x`. */
export function stripQuery(search: string, allow: ReadonlySet<string>): string {
  const params = new URLSearchParams(search);
  const parts: string[] = [];
  for (const [name, value] of params) {
    parts.push(allow.has(name) ? `${encodeURIComponent(name)}=${encodeURIComponent(value)}` : encodeURIComponent(name));
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

function pathOf(req: PageRequest, usePattern: boolean): string {
  const routePath = req.route?.path;
  if (usePattern && typeof routePath === 'string') return `${req.baseUrl ?? ''}${routePath}` || '/';
  return new URL(req.originalUrl ?? req.url ?? '/', 'http://x').pathname;
}

/** Origin + path + allowed query of the page, without its fragment. */
export function pageUrl(req: PageRequest, allow: ReadonlySet<string>, usePattern = true): string {
  const raw = new URL(req.originalUrl ?? req.url ?? '/', 'http://x');
  const encrypted = (req.socket as { encrypted?: boolean } | undefined)?.encrypted;
  const proto = req.protocol ?? (encrypted ? 'https' : 'http');
  const host = req.headers.host ?? 'localhost';
  return `${proto}://${host}${pathOf(req, usePattern)}${stripQuery(raw.search, allow)}`;
}

/** Same-site referrers keep their path; others only their origin; queries never. */
export function referrerOf(req: PageRequest): string | undefined {
  const header = req.headers.referer;
  if (!header) return undefined;
  try {
    const ref = new URL(header);
    return ref.host === req.headers.host ? `${ref.origin}${ref.pathname}` : ref.origin;
  } catch {
    return undefined;
  }
}

/**
 * Returns a middleware that records `page_view` when a page response finishes, and puts a
 * tracker bound to the request's identity on `req.waymark` for the route's own journey events.
 *
 * ```ts
 * app.use(pageViews(tracker, { allowQuery: ['utm_source'], identify: (req) => req.session?.waymark }));
 * ```
 */
export function pageViews(tracker: NodeTracker, options: PageViewOptions = {}) {
  const allow = new Set(options.allowQuery ?? []);
  const filter = options.filter ?? defaultFilter;
  const usePattern = options.routePatterns !== false;
  return function waymarkPageViews(req: PageRequest, res: ServerResponse, next: Next): void {
    try {
      const scoped = tracker.withIdentity(options.identify?.(req) ?? {});
      req.waymark = scoped;
      res.once('finish', () => {
        try {
          if (!filter(req, res)) return;
          const title = options.title?.(req, res);
          scoped.track('page_view', title ? { title } : {}, { url: pageUrl(req, allow, usePattern), referrer: referrerOf(req) });
        } catch {
          // a tracking problem must never break the response
        }
      });
    } catch {
      /* see above */
    }
    next();
  };
}
