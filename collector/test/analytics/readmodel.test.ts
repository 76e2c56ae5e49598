/**
 * The read models under the arrival orders real traffic has (a step before its session's start,
 * an end before the steps, a batch twice, a session across midnight or a zone's day boundary, a
 * late event from yesterday), a second `session_end`, user deletion and rebuilds. Each case posts
 * the same events to two collectors in different orders (or with and without the change) and
 * compares the whole read-model state (entity rows, sums, sketches, counters), plus the answers.
 * Runs on SQLite and, through the whole-suite run, on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregate } from '../../src/rollups/aggregate';
import { decodeCountsInto } from '../../src/rollups/sketch';
import type { SqliteStore } from '../../src/store/sqlite/index';
import type { Store } from '../../src/store/types';
import { ORG, baseConfig, ev, startHarness, type Harness } from './harness';
import { bucketRows, loggedDeltas, withLogged, withLoggedSketches, type SketchTestRow } from '../helpers/rm-sums';

const J = 'grant';
const T0 = Date.UTC(2025, 4, 2, 9); // 2025-05-02 09:00 UTC
const MIN = 60_000;
const q = (from: string, to: string, tz = 'UTC') => `date_from=${from}&date_to=${to}&tz=${encodeURIComponent(tz)}`;

type Ev = Record<string, unknown>;

/** JSON with object keys sorted, so equal states print the same whatever order they were built in. */
const canonical = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(canonical) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : 1)).map(([k, x]) => [k, canonical(x)])) : v;

/** Posts events as one batch with a device / language context, like a browser does. */
async function post(h: Harness, events: Ev[], context: Record<string, unknown> = { deviceClass: 'mobile', language: 'fr-FR' }): Promise<void> {
  const r = await fetch(`${h.url}/v1/sdk/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ schemaVersion: 1, context: { orgKey: ORG, env: 'prod', journeyKey: J, ...context }, events }),
  });
  expect(r.status, await r.text()).toBe(204);
}

async function rows(store: Store, sql: string): Promise<Record<string, unknown>[]> {
  if (store.engine === 'sqlite') return (store as SqliteStore).db.prepare(sql).all() as Record<string, unknown>[];
  const { rows: r } = await (store as unknown as { pool: { query(s: string): Promise<{ rows: Record<string, unknown>[] }> } }).pool.query(sql);
  return r;
}

/** The whole read-model state (and the counters), zero rows left out, in a stable order. */
async function snapshot(h: Harness) {
  await h.collector.processor.drain();
  const s = h.collector.store;
  const entities = (await rows(s, 'SELECT org, env, kind, content_id, entity_id, client_id, start_ts, end_ts, state FROM rm_entities'))
    .map((r) => ({ ...r, start_ts: Number(r.start_ts), end_ts: r.end_ts === null ? null : Number(r.end_ts), state: canonical(JSON.parse(String(r.state))) }))
    .map((r) => JSON.stringify(r)).sort();
  const log = await loggedDeltas(s);
  const sums = withLogged(bucketRows(await rows(s, 'SELECT * FROM rm_sums')), log)
    .filter((r) => Number(r.value) !== 0).map((r) => `${r.kind}|${r.content_id}|${r.metric}|${r.gran}|${Number(r.bucket)}|${r.dim}=${Number(r.value)}`).sort();
  const sketches = withLoggedSketches((await rows(s, 'SELECT kind, content_id, metric, gran, bucket, dim, counts FROM rm_sketches')) as unknown as SketchTestRow[], log)
    .map((r) => `${r.kind}|${r.content_id}|${r.metric}|${r.gran}|${Number(r.bucket)}|${r.dim}=${JSON.stringify([...decodeCountsInto(new Map(), r.counts as Uint8Array)].sort((a, b) => a[0] - b[0]))}`)
    .sort();
  const counters = (await s.readCounters({})).filter((c) => c.value !== 0).map((c) => JSON.stringify(c)).sort();
  return { entities, sums, sketches, counters };
}

const journey = async (h: Harness, range: string) => {
  const r = await h.admin(`/analytics/journeys/${J}?${range}`);
  expect(r.status).toBe(200);
  return r.body.data;
};

/** One session: start, three steps with a field, a completed end (and what a timeout adds later). */
function session(s: string, c: string, t: number) {
  const who = { s, c };
  const e = (tag: string, dt: number, f: Ev = {}) => ev(tag, t + dt, { journeyKey: J, ...f }, who);
  return {
    start: e('session_start', 0),
    steps: [
      e('step_view', 1 * MIN, { stepKey: 'eligibility' }),
      e('field_focus', 2 * MIN, { fieldKey: 'age', stepKey: 'eligibility' }),
      e('field_blur', 3 * MIN, { fieldKey: 'age', stepKey: 'eligibility', durationMs: 4200 }),
      e('validation_error', 3 * MIN + 1, { fieldKey: 'age', stepKey: 'eligibility', errorType: 'format' }),
      e('step_view', 5 * MIN, { stepKey: 'details' }),
      e('step_view', 9 * MIN, { stepKey: 'review' }),
    ],
    end: e('session_end', 12 * MIN, { completed: true, durationMs: 12 * MIN }),
    timeout: e('session_end', 45 * MIN, { completed: false, durationMs: 45 * MIN }),
    tour: [
      ev('TourStarted', t + 20_000, { tourId: 'tour_a' }, who),
      ev('StepViewed', t + 30_000, { tourId: 'tour_a', stepId: 'one', stepIndex: 0 }, who),
      ev('StepViewed', t + 40_000, { tourId: 'tour_a', stepId: 'two', stepIndex: 1 }, who),
      ev('TourDismissed', t + 50_000, { tourId: 'tour_a', stepId: 'two', stepIndex: 1 }, who),
    ],
  };
}

let a: Harness;
let b: Harness;
beforeAll(async () => {
  [a, b] = await Promise.all([startHarness(), startHarness()]);
});
afterAll(async () => {
  await a?.close();
  await b?.close();
});

/** Clears both collectors' data by deleting every user the tests use. */
async function reset(users: string[]) {
  for (const h of [a, b]) for (const u of users) expect((await h.admin(`/users/${u}`, { method: 'DELETE' })).status).toBe(200);
}

describe('out-of-order and duplicate input converge to the same state', () => {
  it('step_view before session_start, session_end before the steps, a batch twice', async () => {
    const x = session('s_ooo', 'c_ooo', T0);
    // a: in order, one batch per part
    await post(a, [x.start]);
    await post(a, x.steps);
    await post(a, [x.end, ...x.tour]);
    // b: the end first, then the steps' second half, then the start with the first half, then all of it again
    await post(b, [x.end]);
    await post(b, [x.tour[3]!, ...x.steps.slice(3)]);
    await post(b, [...x.steps.slice(0, 3), x.start, x.tour[1]!]);
    await post(b, [x.start, ...x.steps, x.end, ...x.tour]);
    const sa = await snapshot(a);
    expect(sa.entities.length).toBe(2); // the session and the tour attempt
    expect(await snapshot(b)).toEqual(sa);
    const day = await journey(a, q('2025-05-02', '2025-05-02'));
    expect(day).toMatchObject({ sessions: 1, completed_sessions: 1, completion_rate: 100 });
    expect(day.steps.map((s: { step_key: string; sessions: number }) => [s.step_key, s.sessions])).toEqual([['eligibility', 1], ['details', 1], ['review', 1]]);
    expect(day.devices).toEqual([{ device_class: 'mobile', sessions: 1 }]);
    expect(day.languages).toEqual([{ language: 'fr-FR', sessions: 1 }]);
    expect(day.fields).toEqual([{ field_key: 'age', focus_count: 1, median_engaged_ms: expect.any(Number), p90_engaged_ms: expect.any(Number), validation_errors: 1, errors_by_type: [{ error_type: 'format', count: 1 }] }]);
    expect(Math.abs(day.fields[0].median_engaged_ms - 4200)).toBeLessThanOrEqual(42);
    expect(Math.abs(day.time_to_complete_ms.median - 12 * MIN)).toBeLessThanOrEqual(0.01 * 12 * MIN);
    const funnel = (await a.admin(`/analytics/tours/tour_a/funnel?${q('2025-05-02', '2025-05-02')}`)).body.data;
    expect(funnel.started_users).toBe(1);
    expect(funnel.steps.map((s: { users: number }) => s.users)).toEqual([1, 1]);
    expect((await a.admin(`/analytics/tours/tour_a/detail?${q('2025-05-02', '2025-05-02')}`)).body.data.users).toEqual({ completed: 0, in_progress: 0, dismissed: 1, total: 1 });
    await reset(['c_ooo']);
  });

  it('a session across midnight counts on the day it started, in UTC and in local zones (sub-hour offsets too)', async () => {
    // starts 2025-05-02 23:50 UTC = 2025-05-03 01:50 Paris = 2025-05-03 05:20 Kolkata; ends after midnight UTC
    const x = session('s_mid', 'c_mid', Date.UTC(2025, 4, 2, 23, 50));
    // a later session on 2025-05-03 at 18:40 UTC: 2025-05-04 00:10 in Kolkata (+05:30), still 05-03 in UTC and Paris
    const y = session('s_kol', 'c_mid', Date.UTC(2025, 4, 3, 18, 40));
    await post(a, [x.start, ...x.steps, x.end, y.start, ...y.steps]);
    await post(b, [...y.steps.reverse(), x.end, ...x.steps.reverse(), y.start, x.start]);
    expect(await snapshot(b)).toEqual(await snapshot(a));
    const daily = async (tz: string) => (await journey(a, q('2025-05-02', '2025-05-04', tz))).daily.map((d: { date: string; sessions: number }) => [d.date, d.sessions]);
    expect(await daily('UTC')).toEqual([['2025-05-02', 1], ['2025-05-03', 1], ['2025-05-04', 0]]);
    expect(await daily('Europe/Paris')).toEqual([['2025-05-02', 0], ['2025-05-03', 2], ['2025-05-04', 0]]);
    expect(await daily('Asia/Kolkata')).toEqual([['2025-05-02', 0], ['2025-05-03', 1], ['2025-05-04', 1]]);
    // ranges add up: two one-day answers equal the two-day answer
    const one = (d: string, tz: string) => journey(a, q(d, d, tz)).then((j) => j.sessions);
    expect((await one('2025-05-03', 'Asia/Kolkata')) + (await one('2025-05-04', 'Asia/Kolkata'))).toBe((await journey(a, q('2025-05-03', '2025-05-04', 'Asia/Kolkata'))).sessions);
    // the completion counter counts at the end's hour (after midnight UTC), the session at its start
    const ends = (await a.collector.store.readCounters({ contentKind: 'journey', metric: 'session_ends', granularity: 'day' })).map((c) => [c.period, c.value]);
    expect(ends).toEqual([['2025-05-03', 1]]);
    await reset(['c_mid']);
  });

  it('a late event from yesterday moves the session to the day it really started', async () => {
    const x = session('s_late', 'c_late', Date.UTC(2025, 4, 3, 0, 5));
    const early = ev('page_view', Date.UTC(2025, 4, 2, 23, 58), { journeyKey: J }, { s: 's_late', c: 'c_late' });
    await post(a, [x.start, ...x.steps, x.end]);
    const before = await journey(a, q('2025-05-02', '2025-05-03'));
    expect(before.daily.map((d: { sessions: number }) => d.sessions)).toEqual([0, 1]);
    await post(a, [early]);
    const after = await journey(a, q('2025-05-02', '2025-05-03'));
    expect(after.daily.map((d: { sessions: number }) => d.sessions)).toEqual([1, 0]);
    expect(after.daily[0].completed_sessions).toBe(1);
    // the same as if everything had arrived at once
    await post(b, [early, x.end, ...x.steps, x.start]);
    expect(await snapshot(b)).toEqual(await snapshot(a));
    await reset(['c_late']);
  });
});

describe('a session ends once', () => {
  it('a timeout after completeJourney() counts neither a second end nor a second completion, in any order', async () => {
    const x = session('s_end', 'c_end', T0);
    await post(a, [x.start, ...x.steps, x.end]);
    await post(a, [x.timeout]);
    await post(b, [x.timeout]);
    await post(b, [x.start, ...x.steps, x.end]);
    expect(await snapshot(b)).toEqual(await snapshot(a));
    const counters = async (metric: string) =>
      (await a.collector.store.readCounters({ contentKind: 'journey', metric, granularity: 'day' })).reduce((n, c) => n + c.value, 0);
    expect(await counters('session_ends')).toBe(1);
    expect(await counters('completions')).toBe(1);
    const j = await journey(a, q('2025-05-02', '2025-05-02'));
    expect(j).toMatchObject({ sessions: 1, completed_sessions: 1 });
    expect(Math.abs(j.time_to_complete_ms.median - 12 * MIN)).toBeLessThanOrEqual(0.01 * 12 * MIN);
    expect(j.steps.every((s: { dropoffs: number }) => s.dropoffs === 0)).toBe(true);
    await reset(['c_end']);
  });

  it('the earliest end is the session\'s end: an earlier timeout that arrives late replaces a later completion', async () => {
    const x = session('s_end2', 'c_end2', T0);
    const early = ev('session_end', T0 + 10 * MIN, { journeyKey: J, completed: false, durationMs: 10 * MIN }, { s: 's_end2', c: 'c_end2' });
    await post(a, [x.start, ...x.steps, x.end]);
    expect((await journey(a, q('2025-05-02', '2025-05-02'))).completed_sessions).toBe(1);
    await post(a, [early]);
    const j = await journey(a, q('2025-05-02', '2025-05-02'));
    expect(j).toMatchObject({ sessions: 1, completed_sessions: 0, time_to_complete_ms: { median: null, p90: null } });
    expect(j.steps.find((s: { step_key: string }) => s.step_key === 'review')).toMatchObject({ dropoffs: 1, largest_dropoff: true });
    const sum = async (metric: string) => (await a.collector.store.readCounters({ contentKind: 'journey', metric, granularity: 'hour' })).reduce((n, c) => n + c.value, 0);
    expect([await sum('session_ends'), await sum('completions')]).toEqual([1, 0]);
    await post(b, [early, x.start, ...x.steps, x.end]);
    expect(await snapshot(b)).toEqual(await snapshot(a));
    await reset(['c_end2']);
  });
});

describe('deletion and rebuild', () => {
  it('deleting a user leaves the read models exactly as if the user had never sent anything', async () => {
    const keep = session('s_keep', 'c_keep', T0);
    const gone = session('s_gone', 'c_gone', T0 + 30 * MIN);
    const gone2 = session('s_gone2', 'c_gone', T0 + 26 * 60 * MIN);
    await post(a, [keep.start, ...keep.steps, keep.end, ...keep.tour, gone.start, ...gone.steps, ...gone.tour, gone2.start, gone2.end]);
    await post(b, [keep.start, ...keep.steps, keep.end, ...keep.tour]);
    expect((await journey(a, q('2025-05-02', '2025-05-03'))).sessions).toBe(3);
    expect((await a.admin('/users/c_gone', { method: 'DELETE' })).status).toBe(200);
    expect(await snapshot(a)).toEqual(await snapshot(b));
    expect((await journey(a, q('2025-05-02', '2025-05-03'))).sessions).toBe(1);
    await reset(['c_keep']);
    expect(await snapshot(a)).toEqual({ entities: [], sums: [], sketches: [], counters: [] });
  });

  it('a rebuild from the raw events equals the incremental state, from the first day or from a midnight a session crosses', async () => {
    const sessions = [
      session('s_r1', 'c_r1', Date.UTC(2025, 4, 1, 12)),
      session('s_r2', 'c_r2', Date.UTC(2025, 4, 1, 23, 50)), // crosses the rebuild's midnight
      session('s_r3', 'c_r3', Date.UTC(2025, 4, 2, 8)),
    ];
    for (const x of sessions) await post(a, [x.timeout, x.start, ...x.steps, x.end, ...x.tour]);
    const incremental = await snapshot(a);
    for (const from of [0, Date.UTC(2025, 4, 2)]) {
      await a.collector.store.rebuildRollups(from, aggregate);
      expect(await snapshot(a)).toEqual(incremental);
    }
    await reset(['c_r1', 'c_r2', 'c_r3']);
  });
});

describe('journey step order', () => {
  it('follows orgs[].journeys[].steps when configured, else the order sessions see them', async () => {
    const config = baseConfig();
    config.orgs![0]!.journeys = [{ key: 'signup' }, { key: J, steps: ['eligibility', 'documents', 'details', 'review'] }];
    const h = await startHarness({ config });
    try {
      const x = session('s_cfg', 'c_cfg', T0);
      await post(h, [x.start, ...x.steps]);
      const j = await journey(h, q('2025-05-02', '2025-05-02'));
      expect(j.step_order).toBe('configured');
      expect(j.steps.map((s: { step_key: string; sessions: number }) => [s.step_key, s.sessions])).toEqual([['eligibility', 1], ['documents', 0], ['details', 1], ['review', 1]]);
      expect(j.steps.map((s: { largest_dropoff: boolean }) => s.largest_dropoff)).toEqual([false, false, false, true]);
      const seen = await journey(a, q('2025-05-02', '2025-05-02'));
      expect(seen.step_order).toBe('first_seen');
    } finally {
      await h.close();
    }
  });
});
