/**
 * The admin endpoints the dashboard adds (environments, live, entities, content, pixel sites,
 * custom events, newest activity) and the 404 of unknown journeys, tours, content and sites: the
 * figures of the shared dataset, each answer checked against its OpenAPI schema.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from './harness';
import { openApiChecker } from './openapi-check';
import { RANGE, SITE, XSS, dashboardBatches, startSeededHarness } from './dashboard-seed';

let h: Harness;
let check: ReturnType<typeof openApiChecker>;
const range = `date_from=${RANGE.from}&date_to=${RANGE.to}`;
const get = async (path: string, schema: string) => {
  const r = await h.admin(path);
  expect([path, r.status]).toEqual([path, 200]);
  check(schema, r.body);
  return r.body;
};

beforeAll(async () => {
  h = await startSeededHarness();
  check = openApiChecker((await h.admin('/openapi.json', { key: null })).body);
}, 60_000);
afterAll(() => h?.close());

describe('environments and live', () => {
  it('counts every event of each environment, and names the busiest', async () => {
    const d = (await get(`/analytics/environments?${range}`, 'Environments')).data;
    const by = Object.fromEntries(d.environments.map((e: { env: string; events: number }) => [e.env, e.events]));
    // dev: 12 sessions × (start, step, focus, blur)
    expect(by).toEqual({ prod: expect.any(Number), staging: 0, dev: 48 });
    expect(by.prod).toBeGreaterThan(1000);
    expect(d.busiest).toBe('prod');
    const devOnly = (await get('/analytics/environments?date_from=2025-05-12&date_to=2025-05-12&env=dev', 'Environments')).data;
    expect(devOnly.environments.find((e: { env: string }) => e.env === 'dev').events).toBe(48);
  });

  it('live: events of the last 5 minutes, per minute over 30', async () => {
    const d = (await get('/analytics/live', 'Live')).data;
    // the 6 page views at 11:56..11:59 and the 5 pixel hits at 12:00; not the 3 at 11:40
    expect(d.events).toBe(11);
    expect(d.per_minute).toHaveLength(30);
    expect(d.per_minute.at(-1)).toEqual({ minute: '2025-05-14T12:00:00.000Z', events: 5 });
    expect(d.per_minute.find((m: { minute: string }) => m.minute === '2025-05-14T11:40:00.000Z').events).toBe(3);
    expect((await get('/analytics/live?env=staging', 'Live')).data.events).toBe(0);
  });
});

describe('entities (the home page)', () => {
  it('lists journeys, tours, content and sites busiest first, with rate, sparkline and change', async () => {
    const d = (await get(`/analytics/entities?${range}`, 'Entities')).data;
    expect(d.previous_period).toEqual({ from: '2025-05-01', to: '2025-05-07' });
    const s = Object.fromEntries(d.sections.map((x: { kind: string }) => [x.kind, x]));
    const [signup, grant] = s.journey.items;
    expect(signup).toMatchObject({ id: 'signup', traffic: 40, previous_traffic: 20, traffic_change_pct: 100, rate: 75, previous_rate: 50, rate_change_pts: 25, configured: true });
    expect(signup.daily).toHaveLength(7);
    expect(signup.daily.reduce((a: number, b: number) => a + b, 0)).toBe(40);
    expect(grant).toMatchObject({ id: 'grant', traffic: 5, previous_traffic: 0, traffic_change_pct: null, rate: 20, previous_rate: null, rate_change_pts: null });
    expect(s.tour.items.map((t: { id: string }) => t.id)).toEqual(['tour_123', XSS]);
    expect(s.tour.items[0]).toMatchObject({ traffic: 200, previous_traffic: 100, traffic_change_pct: 100, rate: 35, previous_rate: 50, rate_change_pts: -15 });
    expect(s.content.items[0]).toMatchObject({ id: 'banner_1', traffic: 100, previous_traffic: 50, rate: 15, previous_rate: 10, rate_change_pts: 5 });
    expect(s.site.items[0]).toMatchObject({ id: SITE, traffic: 5, rate: null, configured: true });
    expect(s.site.items[0].daily.at(-1)).toBe(5);
  });

  it('lists declared journeys and sites with zeros in an environment without data', async () => {
    const d = (await get(`/analytics/entities?${range}&env=staging`, 'Entities')).data;
    const s = Object.fromEntries(d.sections.map((x: { kind: string }) => [x.kind, x]));
    expect(s.journey.items.map((j: { id: string; traffic: number; rate: null }) => [j.id, j.traffic, j.rate])).toEqual([['grant', 0, null], ['signup', 0, null]]);
    expect(s.tour.items).toEqual([]);
  });
});

describe('content, sites, custom events', () => {
  it('content: views, dismissals, CTA clicks, click-through rate per day and per CTA', async () => {
    const d = (await get(`/analytics/content/banner_1?${range}`, 'ContentAnalytics')).data;
    expect(d.totals).toEqual({ views: 100, dismissals: 20, cta_clicks: 15, click_through_rate: 15, dismissal_rate: 20 });
    expect(d.previous).toMatchObject({ views: 50, cta_clicks: 5, click_through_rate: 10 });
    expect(d.change).toEqual({ views_pct: 100, click_through_rate_pts: 5 });
    expect(d.ctas).toEqual([{ cta: 'learn-more', clicks: 10 }, { cta: 'buy', clicks: 5 }]);
    expect(d.daily).toHaveLength(7);
    expect(d.daily.reduce((n: number, x: { views: number }) => n + x.views, 0)).toBe(100);
  });

  it('a day without views has no click-through rate (null, not 0 %)', async () => {
    const d = (await get('/analytics/content/banner_1?date_from=2025-05-14&date_to=2025-05-16', 'ContentAnalytics')).data;
    expect(d.daily.map((x: { click_through_rate: number | null }) => x.click_through_rate)).toEqual([expect.any(Number), null, null]);
  });

  it('pixel site: events, sessions, users and top properties', async () => {
    const d = (await get(`/analytics/sites/${SITE}?${range}`, 'SiteAnalytics')).data;
    expect(d).toMatchObject({ site: SITE, events: 5, previous_events: 0, events_change_pct: null, sessions: 3, users: 2 });
    expect(d.properties[0]).toEqual({ name: 'title', events: 5, values: [{ value: 'Home', events: 3 }, { value: 'Pricing', events: 2 }] });
    expect(d.properties[1]).toEqual({ name: 'ref', events: 1, values: [{ value: XSS, events: 1 }] });
    // pixel events are always prod
    expect((await get(`/analytics/sites/${SITE}?${range}&env=dev`, 'SiteAnalytics')).data).toMatchObject({ events: 0, sessions: 0, users: 0 });
  });

  it('custom events by type, with or without a journey, per day', async () => {
    const d = (await get(`/analytics/custom-events?${range}`, 'CustomEvents')).data;
    expect(d.types.map((t: { type: string; events: number }) => [t.type, t.events])).toEqual([['plan_selected', 25], ['coupon_applied', 7]]);
    expect(d.total).toBe(32);
    expect(d.daily.reduce((a: number, b: number) => a + b, 0)).toBe(32);
    expect(d.types[1].daily).toEqual([0, 0, 0, 0, 0, 7, 0]);
  });
});

describe('newest activity', () => {
  it('pages through the environment newest first', async () => {
    const first = await get('/activity/latest?limit=5', 'LatestActivity');
    expect(first.data).toHaveLength(5);
    expect(first.data[0].type).toBe('page_view');
    expect(first.data[0].ts).toBe('2025-05-14T11:59:00.000Z');
    const next = await get(`/activity/latest?limit=5&cursor=${first.next_cursor}`, 'LatestActivity');
    expect(next.data[0].ts <= first.data[4].ts).toBe(true);
    expect(next.data.map((r: { event_id: string }) => r.event_id)).not.toContain(first.data[4].event_id);
    const dev = await get('/activity/latest?env=dev&limit=500', 'LatestActivity');
    // field focus and blur stay out of the feed: 12 starts + 12 step views
    expect(dev.data).toHaveLength(24);
  });
});

describe('unknown journeys, tours, content and sites', () => {
  it('answer 404 with the key in the message; known ones answer in every environment', async () => {
    for (const [path, code, key] of [
      ['/analytics/tours/tour_12', 'unknown_tour', 'tour_12'],
      ['/analytics/tours/tour_12/funnel', 'unknown_tour', 'tour_12'],
      ['/analytics/tours/tour_12/detail', 'unknown_tour', 'tour_12'],
      ['/analytics/journeys/sigup', 'unknown_journey', 'sigup'],
      ['/analytics/content/banner_2', 'unknown_content', 'banner_2'],
      ['/analytics/sites/nope.example', 'unknown_site', 'nope.example'],
    ]) {
      const r = await h.admin(path!);
      expect([path, r.status, r.body.error.code]).toEqual([path, 404, code]);
      expect(r.body.error.message).toContain(`"${key}"`);
      check('Error', r.body);
    }
    expect((await h.admin('/analytics/tours/tour_123?env=staging')).status).toBe(200);
    expect((await h.admin('/analytics/journeys/grant?env=dev')).status).toBe(200);
    // a malformed id is still a 400
    expect((await h.admin('/analytics/tours/a%20b')).status).toBe(400);
  });
});

describe('the rolling 24 hours (last_hours=24)', () => {
  // NOW is 2025-05-14 12:00 UTC: the 24 hours are 2025-05-13 13:00 to 14 12:59, one point per hour
  const START = Date.UTC(2025, 4, 13, 13);
  const END = START + 24 * 3_600_000;
  const hours = Array.from({ length: 24 }, (_, i) => new Date(START + i * 3_600_000).toISOString());
  const events = dashboardBatches().filter(([env]) => env === 'prod').flatMap(([, , , evs]) => evs);
  /** What the dataset has of `tag` (optionally of one journey) in each of the 24 hours. */
  const perHour = (tag: string, journeyKey?: string) => {
    const out = new Array<number>(24).fill(0);
    for (const e of events) {
      const t = Date.parse(String(e.ts));
      if (e._tag === tag && (!journeyKey || e.journeyKey === journeyKey) && t >= START && t < END) out[Math.floor((t - START) / 3_600_000)]!++;
    }
    return out;
  };

  it('is the 24 hours ending now, hour by hour, not the calendar days', async () => {
    const j = (await get('/analytics/journeys/signup?last_hours=24', 'JourneyAnalytics')).data;
    expect(j.daily.map((x: { date: string }) => x.date)).toEqual(hours);
    const sessions = perHour('session_start', 'signup');
    expect(j.daily.map((x: { sessions: number }) => x.sessions)).toEqual(sessions);
    expect(j.sessions).toBe(sessions.reduce((a, b) => a + b, 0));
    // yesterday before 13:00 is out, yesterday after 13:00 is in: neither "today" nor "yesterday and today"
    const today = (await get('/analytics/journeys/signup?date_from=2025-05-14&date_to=2025-05-14', 'JourneyAnalytics')).data;
    const twoDays = (await get('/analytics/journeys/signup?date_from=2025-05-13&date_to=2025-05-14', 'JourneyAnalytics')).data;
    expect(j.sessions).toBe(today.sessions); // the signups of the 13th were at 10:xx, before the window
    expect(twoDays.sessions).toBeGreaterThan(j.sessions);
    const c = (await get('/analytics/custom-events?last_hours=24', 'CustomEvents')).data;
    expect(c.dates).toEqual(hours);
    const coupons = perHour('coupon_applied');
    expect(coupons.reduce((a, b) => a + b, 0)).toBe(7); // 2025-05-13 14:00..14:06: in the window, not "today"
    expect(c.types.find((t: { type: string }) => t.type === 'coupon_applied').daily).toEqual(coupons);
    const t = (await get('/analytics/tours/tour_123?last_hours=24', 'TourDaily')).data;
    expect(t.daily.map((x: { starts: number }) => x.starts)).toEqual(perHour('TourStarted')); // tour_123 is the only tour with starts in the window
    const e = (await get('/analytics/entities?last_hours=24', 'Entities')).data;
    expect(e.dates).toEqual(hours);
    // the previous period is the 24 hours before
    expect(e.previous_period).toEqual({ from: '2025-05-12', to: '2025-05-13' });
    const s = (await get(`/analytics/sites/${SITE}?last_hours=24`, 'SiteAnalytics')).data;
    expect(s.daily.at(-1)).toEqual({ date: '2025-05-14T12:00:00.000Z', events: 5 });
    expect((await get('/analytics/environments?last_hours=24', 'Environments')).data.environments.find((x: { env: string }) => x.env === 'dev').events).toBe(0);
  });

  it('refuses last_hours with days, a zone, or out of bounds', async () => {
    for (const q of ['last_hours=24&date_from=2025-05-13', 'last_hours=24&tz=Europe/Paris', 'last_hours=0', 'last_hours=169', 'last_hours=x']) {
      const r = await h.admin(`/analytics/custom-events?${q}`);
      expect([q, r.status]).toEqual([q, 400]);
      expect(r.body.error.message).toMatch(/last_hours|tz|expected/);
    }
  });
});

describe('the page and its assets', () => {
  it('names the build in the asset URLs, which are then cached until the next build; other URLs revalidate', async () => {
    const html = await (await fetch(`${h.url}/dashboard`)).text();
    const js = /src="(\/dashboard\/app\.js\?v=[0-9a-z]+)"/.exec(html)?.[1];
    const css = /href="(\/dashboard\/app\.css\?v=[0-9a-z]+)"/.exec(html)?.[1];
    expect([js, css].every(Boolean)).toBe(true);
    for (const url of [js!, css!]) {
      const r = await fetch(`${h.url}${url}`);
      expect([url, r.status, r.headers.get('cache-control')]).toEqual([url, 200, 'public, max-age=31536000, immutable']);
      expect(r.headers.get('content-security-policy')).toContain("script-src 'self'");
    }
    for (const url of ['/dashboard/app.js', '/dashboard/app.js?v=old']) {
      expect((await fetch(`${h.url}${url}`)).headers.get('cache-control'), url).toBe('no-cache');
    }
  });
});
