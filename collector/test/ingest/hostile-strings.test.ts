// waymark-test-store: both-engines
/**
 * Strings the stores cannot hold, on SQLite and PostgreSQL side by side: every case the issue
 * reports (a NUL in `stepId` that used to stop every org's counters on PostgreSQL, a NUL in an id
 * answered 503 there, three ids differing only in a lone surrogate collapsed into one) is refused
 * with the same 400 naming the event and field on both engines; what is accepted (emoji, CJK,
 * right-to-left text, U+FFFF, prototype names) is stored unchanged and identically on both; a row
 * a store refuses is a 400, never a 5xx.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresStore } from '../../src/store/postgres/index';
import type { SqliteStore } from '../../src/store/sqlite/index';
import { TEST_API_KEY } from '../../src/testing';
import { ENGINES, startEngineCollector, type Engine } from '../helpers/engines';

type C = Awaited<ReturnType<typeof startEngineCollector>>;
const collectors: C[] = [];
beforeAll(async () => {
  for (const engine of ENGINES) collectors.push(await startEngineCollector(engine));
});
afterAll(async () => {
  for (const c of collectors) await c.stop();
});

let n = 0;
const event = (type: string, fields: Record<string, unknown> = {}) => ({
  _tag: type, schemaVersion: 1, id: `hs_${n++}`, ts: '2025-05-02T09:00:00.000Z', orgKey: 'test-org', sessionId: 'hs_session', clientId: 'hs_client',
  url: 'https://app.example.com/', embedVersion: '1.0.0', ...fields,
});
const batch = (...events: object[]) => ({ schemaVersion: 1, context: { orgKey: 'test-org' }, events });

interface Answer {
  status: number;
  code?: string;
  message?: string;
  body?: string;
}
async function call(c: C, path: string, init: RequestInit = {}): Promise<Answer> {
  const r = await fetch(`${c.url}${path}`, init);
  const text = await r.text();
  if (r.status < 400) return { status: r.status, ...(r.headers.get('content-type')?.startsWith('text/plain') ? {} : { body: text }) };
  const e = (JSON.parse(text) as { error: { code: string; message: string } }).error;
  return { status: r.status, code: e.code, message: e.message };
}
const post = (path: string, body: unknown) => (c: C) => call(c, path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const get = (path: string, key = true) => (c: C) => call(c, path, key ? { headers: { 'x-api-key': TEST_API_KEY } } : {});

/** The same request on every engine: the answers must be equal; resolves to the first. */
async function same(req: (c: C) => Promise<Answer>): Promise<Answer> {
  const answers = [];
  for (const c of collectors) answers.push(await req(c));
  for (const a of answers.slice(1)) expect(a).toEqual(answers[0]);
  return answers[0]!;
}

describe(`strings the stores cannot hold (${ENGINES.join(' and ')})`, () => {
  it('a NUL in stepId is a 400 naming the event and field, and counting goes on for everyone', async () => {
    const a = await same(post('/v1/sdk/events', batch(event('TourStarted', { tourId: 'hs_tour' }), event('StepViewed', { tourId: 'hs_tour', stepId: 'a\u0000b', stepIndex: 0 }))));
    expect(a).toEqual({ status: 400, code: 'invalid_batch', message: 'event 1, events[1].stepId: contains U+0000 (NUL) at index 1, which the stores cannot hold' });
    expect(await same(post('/v1/sdk/events', batch(event('TourStarted', { tourId: 'hs_tour' }))))).toEqual({ status: 204, body: '' });
    for (const c of collectors) {
      await c.drain();
      const starts = await c.store.readCounters({ orgKey: 'test-org', contentId: 'hs_tour', metric: 'starts', granularity: 'day' });
      expect([c.engine, starts.find((x) => x.dim === '')?.value]).toEqual([c.engine, 1]);
    }
  });

  it('a NUL in id, sessionId, clientId or tourId is a 400 (not a 503 the SDKs would retry forever)', async () => {
    for (const field of ['id', 'sessionId', 'clientId', 'tourId']) {
      const a = await same(post('/v1/sdk/events', batch(event('TourStarted', { tourId: 'hs_tour', [field]: 'x\u0000' }))));
      expect([field, a.status, a.message]).toEqual([field, 400, `event 0, events[0].${field}: contains U+0000 (NUL) at index 1, which the stores cannot hold`]);
    }
  });

  it('ids that differ only in a lone surrogate are refused instead of collapsing into one', async () => {
    for (const s of ['\uD800', '\uDBFF', '\uDC00']) {
      const a = await same(post('/v1/sdk/events', batch(event('TourStarted', { tourId: 'hs_tour', id: `dup${s}` }))));
      expect(a).toMatchObject({ status: 400, message: expect.stringMatching(/^event 0, events\[0\]\.id: contains a lone UTF-16 surrogate/) });
    }
  });

  it('stores every other character unchanged and identically on both engines', async () => {
    const ids = ['ok😀', 'ok😁', 'ok\uFFFD', 'ok\uFFFF', 'okمرحبا', 'ok中文', 'ok\u{10FFFF}', 'ok\u202Ertl'];
    const events = ids.map((id) => event('StepViewed', { id, tourId: 'hs_chars', stepId: `step ${id}`, stepIndex: 0, props: { '__proto__x': 'p', constructor: id } }));
    expect(await same(post('/v1/sdk/events', batch(...events, event('TourStarted', { tourId: 'toString' }))))).toEqual({ status: 204, body: '' });
    const stored = [];
    for (const c of collectors) {
      await c.drain();
      const rows = (await c.store.listEvents({ orgKey: 'test-org', limit: 1000 })).filter((e) => e.eventId.startsWith('ok'));
      expect(rows.map((e) => e.eventId)).toEqual(ids);
      expect(rows.map((e) => JSON.parse(e.json).stepId)).toEqual(ids.map((id) => `step ${id}`));
      stored.push({
        rows: rows.map(({ seq: _s, receivedAt: _r, ...e }) => e),
        counters: await c.store.readCounters({ orgKey: 'test-org', contentId: 'hs_chars' }),
        proto: await c.store.readCounters({ orgKey: 'test-org', contentId: 'toString' }),
      });
    }
    expect(stored[0]!.counters.filter((x) => x.dim !== '').map((x) => x.dim)).toEqual(expect.arrayContaining(ids.map((id) => `step ${id}`)));
    for (const s of stored.slice(1)) expect(s).toEqual(stored[0]);
  });

  it('a selector of 1024 CJK characters (3072 bytes, over PostgreSQL\'s index entry limit) is a 400 on both', async () => {
    const a = await same(post('/v1/sdk/events', batch(event('target_not_found', { tourId: 'hs_tour', selector: '中'.repeat(1024) }))));
    expect(a).toEqual({ status: 400, code: 'invalid_batch', message: 'event 0, events[0].selector: expected at most 1024 bytes in UTF-8, got 3072' });
  });

  it('pixel query parameters and admin paths and cursors follow the same rule', async () => {
    expect(await same(get('/log?si=test.site&sid=a%00b', false))).toMatchObject({ status: 400, code: 'invalid_sid', message: 'sid: contains U+0000 (NUL) at index 1, which the stores cannot hold' });
    expect(await same(get('/pixel.gif?si=test.site&uid=%00', false))).toMatchObject({ status: 400, code: 'invalid_uid' });
    expect(await same(get('/log?si=test.site&note=x%00', false))).toMatchObject({ status: 400, code: 'invalid_property_value', message: expect.stringMatching(/^property "note": contains U\+0000/) });
    expect(await same(get('/v1/admin/pixel/sessions/a%00b'))).toMatchObject({ status: 400, code: 'invalid_sid' });
    expect(await same(get('/v1/admin/pixel/users/%00'))).toMatchObject({ status: 400, code: 'invalid_uid' });
    const cursor = Buffer.from(JSON.stringify({ ts: 1, eventId: 'a\u0000' })).toString('base64url');
    expect(await same(get(`/v1/admin/activity/users/hs_client?cursor=${cursor}`))).toMatchObject({ status: 400, code: 'invalid_parameter' });
    const put = (c: C) =>
      call(c, '/api/journeys/test-journey', { method: 'PUT', headers: { 'x-api-key': TEST_API_KEY, 'content-type': 'application/json' }, body: JSON.stringify({ allowedOrigins: ['https://a\u0000.example'] }) });
    expect(await same(put)).toMatchObject({ status: 400, code: 'invalid_body' });
    // a property named __proto__ is a property like any other
    expect(await same(get('/log?si=test.site&sid=hs_proto&__proto__=kept&constructor=c', false))).toEqual({ status: 200 });
    for (const c of collectors) {
      const rec = await get('/v1/admin/pixel/sessions/hs_proto')(c); // eid and time are each collector's own
      expect(JSON.parse(rec.body!).data).toEqual({ ['__proto__']: 'kept', constructor: 'c', sid: 'hs_proto', uid: 'hs_proto', si: 'test.site', eid: expect.any(String), unixtimestamp: expect.any(Number) });
    }
  });

  it('a row a store refuses answers 400 unstorable_data, a working store 204, never a 5xx', async () => {
    const refuse: Record<Engine, (c: C) => Promise<unknown>> = {
      postgres: (c) => (c.store as PostgresStore).pool.query("ALTER TABLE raw_events ADD CONSTRAINT hs_refuse CHECK (event_id NOT LIKE 'refused%')"),
      sqlite: async (c) => (c.store as SqliteStore).db.exec("CREATE TRIGGER hs_refuse BEFORE INSERT ON raw_events WHEN NEW.event_id LIKE 'refused%' BEGIN SELECT RAISE(ABORT, 'raw_events refuses it'); END"),
    };
    for (const c of collectors) await refuse[c.engine](c);
    const answers = [];
    for (const c of collectors) answers.push(await post('/v1/sdk/events', batch(event('TourStarted', { tourId: 'hs_tour', id: 'refused_1' })))(c));
    // the store's own words differ by engine; the answer does not
    expect(answers.map((a) => [a.status, a.code])).toEqual(collectors.map(() => [400, 'unstorable_data']));
    expect(await same(post('/v1/sdk/events', batch(event('TourStarted', { tourId: 'hs_tour', id: 'accepted_1' }))))).toEqual({ status: 204, body: '' });
  });
});
