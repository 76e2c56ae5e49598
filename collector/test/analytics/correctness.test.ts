/**
 * Data correctness: ≥ 10,000 simulated sessions (known funnel, dismissals, restarts, target
 * failures, 14 days, every hour) tracked with `@waymark/core`'s tracker, their batches posted to
 * a real collector shuffled and partly twice (beacon + retry), plus staging traffic. Every answer
 * of the analytics API must equal the ground truth computed from the simulation's own facts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as gt from './ground-truth';
import { API_KEY, startHarness, type Harness } from './harness';
import { openApiChecker } from './openapi-check';
import { CONTENTS, JOURNEY, TOURS, rng, simulate, type Population } from './population';
import type { SqliteStore } from '../../src/store/sqlite/index';

let h: Harness;
let prod: Population;
let check: ReturnType<typeof openApiChecker>;
let unique = 0;
const timings: Record<string, number> = {};
const FROM = '2025-05-01';
const TO = '2025-05-07';
const PREV = ['2025-04-24', '2025-04-30'] as const;
const q = `date_from=${FROM}&date_to=${TO}`;

/** Posts every body, shuffled, 10 % of them twice, sixteen requests in flight. */
async function deliver(bodies: string[], seed: number): Promise<void> {
  const r = rng(seed);
  const queue = [...bodies, ...bodies.filter(() => r() < 0.1)];
  for (let i = queue.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [queue[i], queue[j]] = [queue[j]!, queue[i]!];
  }
  let next = 0;
  const worker = async () => {
    while (next < queue.length) {
      const i = next++;
      const body = queue[i]!;
      // a reset connection is retried, as the SDKs do: the collector's idempotency keeps counts exact
      for (let attempt = 1; ; attempt++) {
        try {
          const res = await fetch(`${h.url}${i % 2 ? '/v1/sdk/events' : '/api/ingest'}`, {
            method: 'POST', body, headers: { 'content-type': i % 3 ? 'application/json' : 'text/plain;charset=UTF-8' },
          });
          if (res.status !== 204) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
          break;
        } catch (err) {
          if (attempt >= 5 || !(err instanceof TypeError)) throw err;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

beforeAll(async () => {
  h = await startHarness();
  check = openApiChecker((await h.admin('/openapi.json', { key: null })).body);
  const t0 = performance.now();
  prod = await simulate({ users: 1600, seed: 42 });
  const staging = await simulate({ users: 80, seed: 7, env: 'staging', userOffset: 1_000_000 });
  const ids = new Set<string>();
  for (const b of [...prod.bodies, ...staging.bodies]) for (const e of JSON.parse(b).events) ids.add(e.id);
  unique = ids.size;
  const t1 = performance.now();
  await deliver([...prod.bodies, ...staging.bodies], 99);
  await h.collector.processor.drain();
  timings.deliver = performance.now() - t1;
  console.info(`correctness: simulated in ${Math.round(t1 - t0)} ms, delivered ${unique} events in ${Math.round(timings.deliver)} ms`);
}, 600_000);
afterAll(() => h?.close());

const get = async (path: string, schema: string) => {
  const r = await h.admin(path);
  expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(200);
  check(schema, r.body);
  return r.body.data;
};

describe('a simulated population through the real collector', () => {
  it('is big enough, and every event is stored exactly once', async () => {
    expect(prod.sessions).toBeGreaterThanOrEqual(10_000);
    expect(await h.collector.store.countEvents()).toBe(unique);
  });

  it('tour analytics: daily over both weeks and hourly for every day', async () => {
    for (const tourId of Object.keys(TOURS)) {
      expect(await get(`/analytics/tours/${tourId}?date_from=2025-04-24&date_to=${TO}`, 'TourDaily')).toEqual(gt.tourDaily(prod.facts, tourId, '2025-04-24', TO));
      for (let d = 24; d <= 37; d++) {
        const date = new Date(Date.UTC(2025, 3, d)).toISOString().slice(0, 10);
        expect(await get(`/analytics/tours/${tourId}?date=${date}&granularity=hourly`, 'TourHourly')).toEqual(gt.tourHourly(prod.facts, tourId, date));
      }
    }
  });

  it('tour daily in local zones, whole-hour and sub-hour offsets', async () => {
    for (const tz of ['Europe/Paris', 'Asia/Kolkata', 'America/St_Johns']) {
      for (const tourId of Object.keys(TOURS)) {
        const got = await get(`/analytics/tours/${tourId}?date_from=2025-04-25&date_to=2025-05-06&tz=${encodeURIComponent(tz)}`, 'TourDaily');
        expect(got, tz).toEqual(gt.tourDaily(prod.facts, tourId, '2025-04-25', '2025-05-06', tz));
      }
    }
  });

  it('step funnel with the largest drop flagged', async () => {
    for (const tourId of Object.keys(TOURS)) {
      const f = await get(`/analytics/tours/${tourId}/funnel?${q}`, 'TourFunnel');
      expect(f).toEqual(gt.funnel(prod.facts, tourId, FROM, TO));
    }
    // the simulation's weakest step of the onboarding tour is "configure" (56 % continue after "click")
    expect((await get(`/analytics/tours/tour_onboarding/funnel?${q}`, 'TourFunnel')).largest_drop_step).toBe(3);
  });

  it('tour detail: totals and users by status', async () => {
    for (const tourId of Object.keys(TOURS)) {
      const d = await get(`/analytics/tours/${tourId}/detail?${q}`, 'TourDetail');
      expect(d.totals).toEqual(gt.tourDaily(prod.facts, tourId, FROM, TO).totals);
      expect(d.users).toEqual(gt.usersByStatus(prod.facts, tourId, FROM, TO));
      expect(d.recent_activity).toHaveLength(20);
      expect(d.recent_activity.every((a: { content_id: string }) => a.content_id === tourId)).toBe(true);
    }
  });

  it('overview with trend against the previous week', async () => {
    const o = await get(`/analytics/overview?${q}&min_starts=10`, 'Overview');
    expect(o).toEqual(gt.overview(prod.facts, FROM, TO, PREV[0], PREV[1], 10));
    expect(o.active_content_items).toBe(CONTENTS.length);
  });

  it('selector health and the drill-down of one tour', async () => {
    const s = await get(`/analytics/selectors?${q}`, 'SelectorHealth');
    expect(s).toEqual(gt.selectors(prod.facts, FROM, TO));
    expect(s.broken_selectors[0].selector).toBe('#settings > .advanced [data-tab="sso"]');
    const d = await get(`/analytics/selectors/tour/tour_onboarding?${q}&limit=1000`, 'SelectorDrilldown');
    const expected = gt.selectors(prod.facts, FROM, TO).broken_selectors.filter((x) => x.content_id === 'tour_onboarding');
    expect(d.selectors).toEqual(expected);
    expect(d.events).toHaveLength(Math.min(1000, d.total_failures));
  });

  it('journey analytics: step reach, drop-offs, completion and time to complete, fields, devices, languages, daily trend', async () => {
    const got = await get(`/analytics/journeys/${JOURNEY}?${q}`, 'JourneyAnalytics');
    gt.expectJourney(got, gt.journey(prod.facts, JOURNEY, FROM, TO), expect);
    expect(got.steps.map((s: { step_key: string }) => s.step_key)).toEqual(['eligibility', 'details', 'documents', 'review']);
    expect(got.devices.length).toBe(3);
    expect(got.sessions).toBeGreaterThan(2000);
  });

  it('journey analytics in a sub-hour zone: sessions on their local start day', async () => {
    const got = await get(`/analytics/journeys/${JOURNEY}?${q}&tz=Asia/Kolkata`, 'JourneyAnalytics');
    gt.expectJourney(got, gt.journey(prod.facts, JOURNEY, FROM, TO, undefined, 'Asia/Kolkata'), expect);
  });

  it('staging traffic never mixes into prod, and is answered on its own', async () => {
    const s = await get(`/analytics/journeys/${JOURNEY}?${q}&env=staging`, 'JourneyAnalytics');
    expect(s.sessions).toBeGreaterThan(0);
    expect(s.sessions).toBeLessThan(1000);
  });

  it('activity feed of a user, newest first, across pages', async () => {
    const cid = prod.clientIds[5]!;
    const want = prod.bodies
      .flatMap((b) => JSON.parse(b).events as { clientId: string; _tag: string; ts: string; id: string }[])
      .filter((e) => e.clientId === cid && !/^field_(focus|blur|change)$/.test(e._tag))
      .sort((a, b) => b.ts.localeCompare(a.ts) || (a.id < b.id ? 1 : -1))
      .map((e) => e.id);
    const got: string[] = [];
    let cursor: string | null = null;
    do {
      const r: { status: number; body: { data: { event_id: string }[]; next_cursor: string | null } } =
        await h.admin(`/activity/users/${cid}?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      check('ActivityPage', r.body);
      got.push(...r.body.data.map((a) => a.event_id));
      cursor = r.body.next_cursor;
    } while (cursor);
    expect(got).toEqual(want);
  });

  it('exports every prod event of the range once, as NDJSON and as CSV', { timeout: 60_000 }, async () => {
    const w = gt.windowOf(FROM, TO);
    const want = new Set<string>();
    for (const b of prod.bodies) for (const e of JSON.parse(b).events) if (Date.parse(e.ts) >= w.start && Date.parse(e.ts) < w.end) want.add(e.id);
    const nd = await fetch(`${h.url}/v1/admin/export?${q}`, { headers: { 'x-api-key': API_KEY } });
    const lines = (await nd.text()).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.length).toBe(want.size);
    expect(new Set(lines.map((l) => l.id))).toEqual(want);
    check('ExportRow', lines[0]);
    const csv = await fetch(`${h.url}/v1/admin/export?${q}&format=csv`, { headers: { 'x-api-key': API_KEY } });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect((await csv.text()).trim().split('\r\n').length).toBe(want.size + 1);
  });

  it('SQLite: the same answers with the read models\' delta log merged as with part of it pending', async () => {
    const store = h.collector.store as Partial<SqliteStore> & { engine: string };
    if (store.engine !== 'sqlite') return; // PostgreSQL has no delta log
    expect(typeof store.mergeDeltaLog).toBe('function');
    const count = (sql: string) => store.db!.prepare(sql).pluck().get() as number;
    // the processor merged the log by itself along the way, and left its last claims in it
    expect(count('SELECT count(*) FROM rm_sums')).toBeGreaterThan(0);
    expect(count('SELECT count(*) FROM rm_pending')).toBeGreaterThan(0);
    const answers = async () => ({
      overview: await get(`/analytics/overview?${q}&min_starts=10`, 'Overview'),
      journey: await get(`/analytics/journeys/${JOURNEY}?${q}&tz=Asia/Kolkata`, 'JourneyAnalytics'),
      tours: await Promise.all(Object.keys(TOURS).map(async (id) => [
        await get(`/analytics/tours/${id}/funnel?${q}`, 'TourFunnel'),
        await get(`/analytics/tours/${id}?date_from=2025-04-25&date_to=2025-05-06&tz=America%2FSt_Johns`, 'TourDaily'),
      ])),
    });
    const before = await answers();
    store.mergeDeltaLog!();
    expect(count('SELECT count(*) FROM rm_pending')).toBe(0);
    expect(await answers()).toEqual(before);
    expect(before.overview).toEqual(gt.overview(prod.facts, FROM, TO, PREV[0], PREV[1], 10));
  });
});
