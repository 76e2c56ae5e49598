/**
 * An Express server that tracks a server-side sign-up journey with `@waymark/node` and serves
 * pages carrying the raw-URL pixel. Form values are read to validate them, never tracked: the
 * events say which field failed and why, not what was typed.
 */
import { randomUUID } from 'node:crypto';
import express, { type Request, type Response, type NextFunction } from 'express';
import { buildPixelUrl, pageViews, type NodeTracker, type ScopedTracker } from '@waymark/node';

export interface AppOptions {
  tracker: NodeTracker;
  /** the collector's base URL, for the pixel */
  collectorUrl: string;
  /** the pixel site (`si`) the collector's configuration declares */
  site: string;
}

interface Visitor {
  sessionId: string;
  clientId: string;
}

const COOKIE = 'demo_visitor';

/** The demo's own first-party cookie holds anonymous ids: `<sessionId>.<clientId>`. */
function visitorOf(req: { headers: { cookie?: string } }): Visitor | undefined {
  const match = /(?:^|;\s*)demo_visitor=([\w-]{1,64})\.([\w-]{1,64})/.exec(req.headers.cookie ?? '');
  return match ? { sessionId: match[1]!, clientId: match[2]! } : undefined;
}

const page = (title: string, body: string, pixel: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body><h1>${title}</h1>${body}
<img src="${pixel.replace(/&/g, '&amp;')}" alt="" width="1" height="1">
</body></html>`;

export function createApp({ tracker, collectorUrl, site }: AppOptions): express.Express {
  const app = express();
  app.use(express.urlencoded({ extended: false, limit: '10kb' }));

  // A new visitor gets anonymous ids (and a session_start) before anything else is tracked.
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (!visitorOf(req)) {
      const v = { sessionId: randomUUID(), clientId: randomUUID() };
      req.headers.cookie = `${COOKIE}=${v.sessionId}.${v.clientId}`;
      res.setHeader('set-cookie', `${COOKIE}=${v.sessionId}.${v.clientId}; Path=/; HttpOnly; SameSite=Lax`);
      tracker.withIdentity(v).track('session_start', {});
    }
    next();
  });
  app.use(pageViews(tracker, { identify: visitorOf, allowQuery: ['utm_source', 'utm_campaign'] }));

  const journey = (req: Request): ScopedTracker => req.waymark!;
  const pixel = (req: Request, name: string) => {
    const v = visitorOf(req)!;
    return buildPixelUrl(collectorUrl, { si: site, sid: v.sessionId, uid: v.clientId, page: name }, { path: 'pixel.gif' });
  };

  app.get('/', (req, res) => {
    res.type('html').send(page('Waymark demo', '<p><a href="/signup">Sign up</a></p>', pixel(req, 'home')));
  });

  app.get('/signup', (req, res) => {
    journey(req).track('step_view', { stepKey: 'account' });
    const form = `<form method="post" action="/signup">
<label>E-mail <input name="email" type="email"></label>
<label>Plan <select name="plan"><option value="">choose</option><option>free</option><option>team</option></select></label>
<button>Create account</button></form>`;
    res.type('html').send(page('Create your account', form, pixel(req, 'signup')));
  });

  app.post('/signup', (req, res) => {
    const t = journey(req);
    t.track('submit_attempt', { stepKey: 'account', formKey: 'signup' });
    const body = req.body as Record<string, unknown>;
    const missing = ['email', 'plan'].filter((f) => typeof body[f] !== 'string' || body[f] === '');
    if (missing.length) {
      for (const fieldKey of missing) t.track('validation_error', { fieldKey, errorType: 'required', stepKey: 'account' });
      res.status(422).type('html').send(page('Please fill in every field', '<p><a href="/signup">Back</a></p>', pixel(req, 'signup-error')));
      return;
    }
    t.track('submit_success', { stepKey: 'account', formKey: 'signup' });
    t.track('account_created', { plan: body.plan === 'team' ? 'team' : 'free' });
    res.redirect(303, '/welcome');
  });

  app.get('/welcome', (req, res) => {
    journey(req).track('step_view', { stepKey: 'welcome' });
    res.type('html').send(page('Welcome!', '<p>Your account is ready.</p>', pixel(req, 'welcome')));
  });
  return app;
}
