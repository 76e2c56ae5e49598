/**
 * The admin actions and feeds end to end: user deletion corrects the rollups exactly, the audit
 * log records configuration changes, exports and deletions, the CSV export defuses formulas, the
 * activity feed answers its three access patterns, and the OpenAPI document describes them all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, ev, postAll, startHarness, type Harness } from './harness';
import { openApiChecker } from './openapi-check';

let h: Harness;
let check: ReturnType<typeof openApiChecker>;
const D = (h: number, m = 0) => Date.UTC(2025, 4, 2, h, m);
const daily = () => h.admin('/analytics/tours/t1?date_from=2025-05-02&date_to=2025-05-02');

beforeAll(async () => {
  h = await startHarness();
  check = openApiChecker((await h.admin('/openapi.json', { key: null })).body);
  const events: Record<string, unknown>[] = [];
  for (let u = 0; u < 10; u++) {
    const who = { c: `user_${u}`, s: `sess_${u}` };
    events.push(ev('TourStarted', D(9, u), { tourId: 't1' }, who));
    events.push(ev('StepViewed', D(9, u) + 1000, { tourId: 't1', stepId: 'a', stepIndex: 0 }, who));
    if (u < 6) events.push(ev('TourCompleted', D(10, u), { tourId: 't1' }, who));
    else events.push(ev('TourDismissed', D(10, u), { tourId: 't1', stepId: 'a', stepIndex: 0 }, who));
  }
  events.push(ev('target_not_found', D(11), { tourId: 't1', selector: '=HYPERLINK("http://evil.example","x")' }, { c: 'user_1', s: 'sess_1' }));
  await postAll(h, events);
});
afterAll(() => h?.close());

describe('deleting a user', () => {
  it('removes raw events and activity and corrects every rollup', async () => {
    expect((await daily()).body.data.totals).toEqual({ starts: 10, completions: 6, dismissals: 4, completion_rate: 60 });
    const before = (await h.admin('/activity/users/user_1')).body.data.length;
    expect(before).toBe(4);
    const r = await h.admin('/users/user_1', { method: 'DELETE' });
    expect(r.status).toBe(200);
    check('UserDeletion', r.body);
    expect(r.body.data.deleted).toMatchObject({ raw_events: 4, activity: 4 });
    expect((await daily()).body.data.totals).toEqual({ starts: 9, completions: 5, dismissals: 4, completion_rate: 55.6 });
    expect((await h.admin('/analytics/tours/t1?date=2025-05-02&granularity=hourly')).body.data.hours[9].starts).toBe(9);
    expect((await h.admin('/activity/users/user_1')).body.data).toEqual([]);
    expect((await h.admin('/analytics/selectors?date_from=2025-05-02&date_to=2025-05-02')).body.data.total_failures).toBe(0);
    const funnel = (await h.admin('/analytics/tours/t1/funnel?date_from=2025-05-02&date_to=2025-05-02')).body.data;
    expect(funnel.started_users).toBe(9);
    // the corrected counters equal a rebuild from the remaining raw events
    const counters = async () => (await h.collector.store.readCounters({ orgKey: 'acme' })).filter((c) => c.value !== 0).map((c) => JSON.stringify(c)).sort();
    const incremental = await counters();
    await h.collector.store.rebuildRollups(0, (await import('../../src/rollups/aggregate')).aggregate);
    expect(await counters()).toEqual(incremental);
  });

  it('is idempotent and audited', async () => {
    const again = await h.admin('/users/user_1', { method: 'DELETE' });
    expect(again.body.data.deleted).toEqual({ raw_events: 0, activity: 0, pixel_records: 0, counters: 0 });
    expect((await h.admin('/users/bad%20id', { method: 'DELETE' })).status).toBe(400);
  });
});

describe('feeds and export', () => {
  it('activity by session and by content, newest first', async () => {
    const s = await h.admin('/activity/sessions/sess_2');
    check('ActivityPage', s.body);
    expect(s.body.data.map((a: { type: string }) => a.type)).toEqual(['TourCompleted', 'StepViewed', 'TourStarted']);
    const c = await h.admin('/activity/content/tour/t1?limit=5');
    expect(c.body.data).toHaveLength(5);
    expect(c.body.next_cursor).toEqual(expect.any(String));
    const next = await h.admin(`/activity/content/tour/t1?limit=5&cursor=${c.body.next_cursor}`);
    expect(next.body.data[0].ts <= c.body.data[4].ts).toBe(true);
    expect((await h.admin('/activity/content/tour/t1?cursor=garbage')).status).toBe(400);
    expect((await h.admin('/activity/content/planet/t1')).status).toBe(400);
  });

  it('CSV cells cannot run formulas; NDJSON lines are the stored events', async () => {
    await postAll(h, [ev('target_not_found', D(12), { tourId: 't1', selector: '=1+2' }, { c: '@user', s: '+sess' })]);
    const r = await fetch(`${h.url}/v1/admin/export?format=csv&date_from=2025-05-02&date_to=2025-05-02`, { headers: { 'x-api-key': API_KEY } });
    expect(r.headers.get('content-disposition')).toContain('attachment');
    const lines = (await r.text()).trim().split('\r\n');
    expect(lines[0]).toBe('id,ts,type,env,content_id,session_id,client_id,url,data');
    const row = lines.find((l) => l.includes('target_not_found'))!;
    expect(row).toContain(",'+sess,'@user,");
    expect(row).not.toMatch(/,[=+\-@]/);
    const nd = await fetch(`${h.url}/v1/admin/export?date_from=2025-05-02&date_to=2025-05-02`, { headers: { 'x-api-key': API_KEY } });
    const rows = (await nd.text()).trim().split('\n').map((l) => JSON.parse(l));
    for (const x of rows) check('ExportRow', x);
    expect(rows.find((x) => x.client_id === '@user').data.selector).toBe('=1+2');
    expect((await h.admin('/export?format=xlsx')).status).toBe(400);
  });
});

describe('audit log', () => {
  it('records configuration changes, exports and deletions, newest first, without the key', async () => {
    const put = await fetch(`${h.url}/api/journeys/signup`, {
      method: 'PUT', headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' }, body: JSON.stringify({ allowedOrigins: ['https://app.example.com'] }),
    });
    expect(put.status).toBe(200);
    const a = await h.admin('/audit');
    check('AuditPage', a.body);
    const actions = a.body.data.map((x: { action: string }) => x.action);
    expect(actions[0]).toBe('journey_settings');
    expect(actions).toEqual(expect.arrayContaining(['export', 'delete_user']));
    expect(JSON.stringify(a.body)).not.toContain(API_KEY);
    expect(a.body.data[0].actor).toMatch(/^api_key:[0-9a-f]{12}$/);
    // another org sees none of it
    expect((await h.admin('/audit', { key: 'sk_live_other_org_key_0002' })).body.data).toEqual([]);
  });
});

describe('OpenAPI 3.1 document', () => {
  it('is served without a key and describes every admin route', async () => {
    const doc = (await h.admin('/openapi.json', { key: null })).body;
    expect(doc.openapi).toBe('3.1.0');
    for (const p of ['/analytics/tours/{tourId}', '/analytics/tours/{tourId}/funnel', '/analytics/tours/{tourId}/detail', '/analytics/overview',
      '/analytics/selectors', '/analytics/selectors/{kind}/{contentId}', '/analytics/journeys/{journeyKey}', '/activity/users/{clientId}',
      '/activity/sessions/{sessionId}', '/activity/content/{kind}/{contentId}', '/export', '/users/{clientId}', '/audit']) {
      expect(doc.paths[p], p).toBeDefined();
    }
    const refs = JSON.stringify(doc).match(/#\/components\/schemas\/\w+/g)!;
    for (const r of refs) expect(doc.components.schemas[r.split('/').pop()!], r).toBeDefined();
  });
});

describe('a failing store', () => {
  it('answers 503 with Retry-After, never 500', async () => {
    const broken = await startHarness();
    try {
      await broken.collector.store.close();
      for (const p of ['/analytics/tours/t1', '/analytics/overview', '/activity/users/u', '/export', '/audit']) {
        const r = await broken.admin(p);
        expect([p, r.status]).toEqual([p, 503]);
        expect(r.headers.get('retry-after')).toMatch(/^\d+$/);
        expect(r.body.error.code).toBe('store_unavailable');
      }
    } finally {
      await broken.close().catch(() => {});
    }
  });
});
