// waymark-test-store: both-engines
/**
 * Erasure is final, on each engine: after `DELETE /v1/admin/users/:clientId` (an SDK clientId and
 * a pixel uid), re-posting the same batches (as an SDK retrying its durable queue would) and
 * replaying the pixel URLs are acknowledged as usual and change no answer: counters, analytics,
 * activity feeds, export, pixel records. `/metrics` counts the discarded events; erasing again is
 * idempotent; the tombstone ends with the raw-event retention.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../src/openapi';
import { aggregate } from '../../src/rollups/aggregate';
import type { PostgresStore } from '../../src/store/postgres/index';
import { TEST_API_KEY } from '../../src/testing';
import { ENGINES, startEngineCollector } from '../helpers/engines';
import { openApiChecker } from './openapi-check';

const DAY = '2025-05-02';
const at = (min: number) => new Date(Date.UTC(2025, 4, 2, 9, min)).toISOString();

interface Post {
  path: string;
  body: { schemaVersion: number; context: Record<string, unknown>; events: Record<string, unknown>[] };
}

function userBatches(client: string): Post[] {
  const base = { schemaVersion: 1, orgKey: 'test-org', sessionId: `s_${client}`, clientId: client, url: 'https://app.example.com/apply', embedVersion: '1.0.0' };
  const e = (i: number, type: string, fields: Record<string, unknown>) => ({ ...base, _tag: type, id: `${client}_${i}`, ts: at(i), ...fields });
  return [
    {
      path: '/api/ingest',
      body: {
        schemaVersion: 1,
        context: { orgKey: 'test-org', journeyKey: 'test-journey', language: 'en-US', deviceClass: 'desktop' },
        events: [
          e(0, 'session_start', { journeyKey: 'test-journey' }),
          e(1, 'step_view', { journeyKey: 'test-journey', stepKey: 'contact' }),
          e(2, 'field_focus', { journeyKey: 'test-journey', fieldKey: 'email', stepKey: 'contact' }),
          e(3, 'validation_error', { journeyKey: 'test-journey', fieldKey: 'email', errorType: 'typeMismatch', stepKey: 'contact' }),
          e(4, 'session_end', { journeyKey: 'test-journey', completed: true, durationMs: 240000 }),
        ],
      },
    },
    {
      path: '/v1/sdk/events',
      body: {
        schemaVersion: 1,
        context: { orgKey: 'test-org' },
        events: [
          e(5, 'TourStarted', { tourId: 'tour_e' }),
          e(6, 'StepViewed', { tourId: 'tour_e', stepId: 'a', stepIndex: 0 }),
          e(7, 'TourCompleted', { tourId: 'tour_e' }),
          e(8, 'target_not_found', { tourId: 'tour_e', selector: '#missing' }),
        ],
      },
    },
  ];
}
const pixelUrls = (uid: string) => [`/log?si=test.site&sid=${uid}_s1&uid=${uid}&page=%2Fpricing`, `/pixel.gif?si=test.site&sid=${uid}_s2&uid=${uid}&plan=pro`];

describe.each(ENGINES)('erasure tombstones on %s', (engine) => {
  let c: Awaited<ReturnType<typeof startEngineCollector>>;
  const admin = async (path: string, method = 'GET') => {
    const r = await fetch(`${c.url}/v1/admin${path}`, { method, headers: { 'x-api-key': TEST_API_KEY } });
    const text = await r.text();
    return { status: r.status, body: r.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : text };
  };
  const send = async (batches: Post[]) => {
    const out: number[] = [];
    for (const b of batches) {
      out.push((await fetch(`${c.url}${b.path}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(b.body) })).status);
    }
    return out;
  };
  const hit = async (urls: string[]) => {
    const out: [number, string | null][] = [];
    for (const u of urls) {
      const r = await fetch(`${c.url}${u}`);
      await r.arrayBuffer();
      out.push([r.status, r.headers.get('content-type')]);
    }
    return out;
  };
  const erasedMetric = async (endpoint: string) =>
    Number(new RegExp(`^waymark_events_erased_total\\{endpoint="${endpoint}"\\} (\\d+)$`, 'm').exec(await (await fetch(`${c.url}/metrics`)).text())?.[1] ?? 0);
  /** Every answer the issue names: counters, read answers, activity feeds, pixel records (and export, raw counts). */
  const answers = async () => {
    const range = `date_from=${DAY}&date_to=${DAY}`;
    const feeds = [];
    for (const p of ['/activity/users/gone_user', '/activity/users/kept_user', '/activity/sessions/s_gone_user', '/activity/content/tour/tour_e', '/activity/content/journey/test-journey']) feeds.push(await admin(p));
    const pixel = [];
    for (const p of ['/pixel/users/gone_uid', '/pixel/sessions/gone_uid_s1', '/pixel/sessions/gone_uid_s2', '/pixel/users/kept_uid', '/pixel/sessions/kept_uid_s1']) pixel.push(await admin(p));
    return {
      counters: await c.store.readCounters({}),
      events: await c.store.countEvents(),
      tour: (await admin(`/analytics/tours/tour_e?${range}`)).body,
      funnel: (await admin(`/analytics/tours/tour_e/funnel?${range}`)).body,
      detail: (await admin(`/analytics/tours/tour_e/detail?${range}`)).body,
      journey: (await admin(`/analytics/journeys/test-journey?${range}`)).body,
      selectors: (await admin(`/analytics/selectors?${range}`)).body,
      overview: (await admin(`/analytics/overview?${range}`)).body,
      export: (await admin(`/export?${range}`)).body,
      feeds,
      pixel,
    };
  };

  beforeAll(async () => {
    c = await startEngineCollector(engine);
  });
  afterAll(() => c?.stop());

  it('delete, re-post the same batches and pixel URLs: every answer unchanged, the discarded events counted', async () => {
    const gone = userBatches('gone_user');
    expect([...(await send(gone)), ...(await send(userBatches('kept_user')))]).toEqual([204, 204, 204, 204]);
    const pixelAnswers = await hit([...pixelUrls('gone_uid'), ...pixelUrls('kept_uid')]);
    await c.drain();
    expect((await admin('/activity/users/gone_user')).body.data.length).toBeGreaterThan(0);

    const del = await admin('/users/gone_user', 'DELETE');
    expect(del.body.data.deleted.raw_events).toBe(9);
    expect((await admin('/users/gone_uid', 'DELETE')).body.data.deleted).toMatchObject({ raw_events: 2, pixel_records: 3 });
    const after = await answers();
    expect(after.feeds[0]!.body.data).toEqual([]);
    expect(after.pixel.map((p) => p.status)).toEqual([404, 404, 404, 200, 200]);
    const check = openApiChecker(openApiDocument());
    check('PixelRecord', after.pixel[3]!.body);
    check('UserDeletion', del.body);

    // an SDK retrying its queue, plus one new event of the same user, and a replayed pixel URL
    const retried = await send(gone);
    const fresh = await send([{ path: '/v1/sdk/events', body: { ...gone[1]!.body, events: [{ ...gone[1]!.body.events[0]!, id: 'gone_user_new' }] } }]);
    expect([...retried, ...fresh]).toEqual([204, 204, 204]);
    expect(await hit(pixelUrls('gone_uid'))).toEqual(pixelAnswers.slice(0, 2)); // the normal pixel answers
    await c.drain();
    expect(await answers()).toEqual(after);
    expect(await erasedMetric('ingest')).toBe(5);
    expect(await erasedMetric('sdk')).toBe(5);
    expect(await erasedMetric('pixel')).toBe(2);
    expect(await c.store.outboxBacklog()).toBe(0);

    // erasing twice stays idempotent
    expect((await admin('/users/gone_user', 'DELETE')).body.data.deleted).toEqual({ raw_events: 0, activity: 0, pixel_records: 0, counters: 0 });
    expect(await answers()).toEqual(after);
    // the audit entry spells its detail as the answer does
    const audit = (await admin('/audit')).body.data.find((a: { action: string; target: string }) => a.action === 'delete_user' && a.target === 'gone_user');
    expect(Object.keys(audit.detail).sort()).toEqual(['activity', 'counters', 'pixel_records', 'raw_events']);
  });

  it('keeps the tombstone for the raw-event retention, then lets the id be used again', async () => {
    const soon = Date.now() + 1000;
    // a purge whose cut-offs are before the erasure keeps it
    await c.store.purgeExpired({ sdkBefore: 0, pixelBefore: 0, activityBefore: 0 });
    expect(await send([userBatches('gone_user')[1]!])).toEqual([204]);
    await c.drain();
    expect((await admin('/activity/users/gone_user')).body.data).toEqual([]);
    // once the erasure is older than both retentions, the tombstone goes with the purge
    await c.store.purgeExpired({ sdkBefore: 0, pixelBefore: soon, activityBefore: 0 });
    expect(await send([userBatches('gone_user')[1]!])).toEqual([204]); // still inside: pixel retention is shorter
    await c.drain();
    expect((await admin('/activity/users/gone_user')).body.data).toEqual([]);
    await c.store.purgeExpired({ sdkBefore: soon, pixelBefore: soon, activityBefore: 0 });
    const again = userBatches('gone_user')[1]!;
    expect(await send([{ ...again, body: { ...again.body, events: again.body.events.map((e) => ({ ...e, id: `${e.id}_later`, ts: new Date().toISOString() })) } }])).toEqual([204]);
    await c.drain();
    expect((await admin('/activity/users/gone_user')).body.data.length).toBe(4);
  });

  it.runIf(engine === 'postgres')('discards at processing an event stored while its user was being erased (append snapshot before the tombstone)', async () => {
    const pg = c.store as PostgresStore;
    await c.collector.processor.stop(); // this test runs the processor by hand, after the tombstone
    const before = await pg.readCounters({ orgKey: 'test-org', contentId: 'tour_race' });
    const [b] = userBatches('racing_user').slice(1);
    const events = b!.body.events.map((e) => ({ ...e, tourId: 'tour_race' }));
    expect(await send([{ ...b!, body: { ...b!.body, events } }])).toEqual([204]);
    // the deletion committed after this append's snapshot: its tombstone is there, the events too
    await pg.pool.query("INSERT INTO tombstones (org, client_id, deleted_at) VALUES ('test-org', 'racing_user', $1)", [Date.now()]);
    expect(await pg.outboxBacklog()).toBe(events.length);
    while ((await pg.processOutbox(100, aggregate)) > 0);
    expect(await pg.readCounters({ orgKey: 'test-org', contentId: 'tour_race' })).toEqual(before);
    expect((await pg.pool.query("SELECT count(*)::int AS n FROM raw_events WHERE client_id = 'racing_user'")).rows[0].n).toBe(0);
    expect((await pg.pool.query("SELECT count(*)::int AS n FROM event_ids WHERE event_id LIKE 'racing_user%'")).rows[0].n).toBe(0);
  });
});
