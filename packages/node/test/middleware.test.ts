import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createNodeTracker } from '../src/client';
import { pageViews, stripQuery } from '../src/middleware';
import { JOURNEY, ORG, startCollector } from './helpers/collector';

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function serve(app: express.Express): Promise<string> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  cleanup.push(() => new Promise((r) => server.close(r)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('pageViews middleware', () => {
  it('records page_view for HTML pages only, with route patterns, no query values but allowed ones, and no PII', async () => {
    const collector = await startCollector();
    cleanup.push(() => collector.destroy());
    const tracker = createNodeTracker({ org: ORG, journey: JOURNEY, endpoint: collector.ingestUrl });
    cleanup.push(() => tracker.shutdown({ timeout: 0 }));

    const app = express();
    app.use(
      pageViews(tracker, {
        allowQuery: ['utm_source'],
        identify: (req) => ({ sessionId: String(req.headers['x-test-session']), clientId: 'visitor-1' }),
        title: (req) => (req.route?.path === '/orders/:id' ? 'Your order' : undefined),
      }),
    );
    app.get('/orders/:id', (req, res) => {
      // the route's own journey event shares the page view's identity
      (req as unknown as { waymark: { track: (t: string, p: object) => void } }).waymark.track('step_view', { stepKey: 'order-details' });
      res.type('html').send('<h1>order</h1>');
    });
    app.get('/api/data', (_req, res) => res.json({ ok: true }));
    app.get('/missing', (_req, res) => res.status(404).type('html').send('nope'));
    app.post('/orders/:id', (_req, res) => res.type('html').send('posted'));
    const base = await serve(app);

    const headers = { 'x-test-session': 'sess-mw', referer: 'https://www.google.com/search?q=jane.doe%40example.com' };
    await fetch(`${base}/orders/jane.doe@example.com?email=jane.doe@example.com&utm_source=newsletter#frag`, { headers });
    await fetch(`${base}/api/data?token=secret`, { headers });
    await fetch(`${base}/missing`, { headers });
    await fetch(`${base}/orders/1`, { method: 'POST', headers });
    await fetch(`${base}/orders/2`, { headers: { ...headers, referer: `${base}/orders/1?token=qwerty` } });
    await tracker.flush();

    const stored = await collector.events();
    expect(stored.map((e) => e.type)).toEqual(['step_view', 'page_view', 'step_view', 'page_view']);
    const views = stored.filter((e) => e.type === 'page_view');
    expect(views[0]!.event).toMatchObject({
      url: `${base}/orders/:id?email&utm_source=newsletter`,
      referrer: 'https://www.google.com',
      title: 'Your order',
      sessionId: 'sess-mw',
      clientId: 'visitor-1',
    });
    expect(views[1]!.event).toMatchObject({ url: `${base}/orders/:id`, referrer: `${base}/orders/1` });
    expect(stored.every((e) => e.sessionId === 'sess-mw' && e.clientId === 'visitor-1')).toBe(true);
    const everything = JSON.stringify(stored);
    expect(everything).not.toContain('jane.doe');
    expect(everything).not.toContain('secret');
    // a value no hex id can contain (an earlier "abc" matched a random event id now and then)
    expect(everything).not.toContain('qwerty');
  });

  it('never breaks a response when tracking fails', async () => {
    const broken = { withIdentity: () => { throw new Error('boom'); } } as never;
    const app = express();
    app.use(pageViews(broken));
    app.get('/', (_req, res) => res.type('html').send('ok'));
    const base = await serve(app);
    const res = await fetch(base);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');
  });

  it('stripQuery keeps names and only allowed values', () => {
    expect(stripQuery('?q=secret&utm_source=x&utm_source=y&empty=', new Set(['utm_source']))).toBe('?q&utm_source=x&utm_source=y&empty');
    expect(stripQuery('', new Set())).toBe('');
  });
});
