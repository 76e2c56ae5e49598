// waymark-test-store: both-engines
/**
 * Failure isolation of the processor, on each engine: one event whose counter row the store
 * refuses (a constraint it cannot satisfy, installed by the test) goes to the dead letters alone;
 * the rest of its batch and every other org are counted, the pipeline keeps going, `/health` and
 * `/metrics` report it, an admin lists it (org-scoped) and retries it after the fix. A dead letter
 * was never counted: erasing its user and rebuilding the rollups leave the counters exact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../src/openapi';
import { aggregate } from '../../src/rollups/aggregate';
import type { PostgresStore } from '../../src/store/postgres/index';
import type { SqliteStore } from '../../src/store/sqlite/index';
import { TEST_API_KEY } from '../../src/testing';
import { openApiChecker } from '../analytics/openapi-check';
import { ENGINES, startEngineCollector, type Engine } from '../helpers/engines';

const SEED_KEY = 'sk_test_seed_org_0123456789';
const TS = '2025-05-02T09:00:00.000Z';
const check = openApiChecker(openApiDocument());

let n = 0;
const ev = (org: string, type: string, fields: Record<string, unknown>, client = 'client_a') => ({
  _tag: type, schemaVersion: 1, id: `dl_${n++}`, ts: TS, orgKey: org, sessionId: `s_${client}`, clientId: client,
  url: 'https://app.example.com/', embedVersion: '1.0.0', ...fields,
});

/** A constraint the counters table cannot satisfy for one tour (`no_<tour>`), and its removal (the "fix"). */
const poison = {
  async install(engine: Engine, store: unknown, tour = 'poison_tour') {
    if (engine === 'postgres') await (store as PostgresStore).pool.query(`ALTER TABLE counters ADD CONSTRAINT no_${tour} CHECK (content_id <> '${tour}') NOT VALID`);
    else (store as SqliteStore).db.exec(`CREATE TRIGGER no_${tour} BEFORE INSERT ON counters WHEN NEW.content_id = '${tour}' BEGIN SELECT RAISE(ABORT, 'counters refuse ${tour}'); END`);
  },
  async remove(engine: Engine, store: unknown, tour = 'poison_tour') {
    if (engine === 'postgres') await (store as PostgresStore).pool.query(`ALTER TABLE counters DROP CONSTRAINT no_${tour}`);
    else (store as SqliteStore).db.exec(`DROP TRIGGER no_${tour}`);
  },
  code: { postgres: '23514', sqlite: 'SQLITE_CONSTRAINT_TRIGGER' } as const,
};

describe.each(ENGINES)('processor failure isolation on %s', (engine) => {
  let c: Awaited<ReturnType<typeof startEngineCollector>>;
  const post = async (org: string, events: object[]) => {
    const r = await fetch(`${c.url}/v1/sdk/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ schemaVersion: 1, context: { orgKey: org }, events }) });
    return r.status;
  };
  const admin = async (path: string, init: { method?: string; body?: unknown; key?: string } = {}) => {
    const r = await fetch(`${c.url}/v1/admin${path}`, {
      method: init.method ?? 'GET',
      headers: { 'x-api-key': init.key ?? TEST_API_KEY, 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    return { status: r.status, body: (await r.json()) as any };
  };
  const starts = async (org: string, tour: string) =>
    (await c.store.readCounters({ orgKey: org, contentId: tour, metric: 'starts', granularity: 'day' })).find((x) => x.dim === '')?.value ?? 0;
  const health = async () => {
    const r = await fetch(`${c.url}/health`);
    return { status: r.status, body: (await r.json()) as any };
  };
  const metric = async (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(await (await fetch(`${c.url}/metrics`)).text())?.[1]);

  beforeAll(async () => {
    c = await startEngineCollector(engine);
    await poison.install(engine, c.store);
  });
  afterAll(() => c?.stop());

  it('moves only the failing event to the dead letters; the rest of its batch and every other org are counted', async () => {
    expect(
      await post('test-org', [
        ev('test-org', 'TourStarted', { tourId: 'ok_tour' }),
        ev('test-org', 'TourStarted', { tourId: 'poison_tour' }),
        ev('test-org', 'StepViewed', { tourId: 'ok_tour', stepId: 's1', stepIndex: 0 }),
        ev('test-org', 'TourStarted', { tourId: 'ok_tour' }, 'client_b'),
      ]),
    ).toBe(204);
    expect(await post('your-org-slug', [ev('your-org-slug', 'TourStarted', { tourId: 'seed_tour' }, 'client_z')])).toBe(204);
    await c.drain(); // resolves: the failure stays local
    expect(await starts('test-org', 'ok_tour')).toBe(2);
    expect(await starts('test-org', 'poison_tour')).toBe(0);
    expect(await starts('your-org-slug', 'seed_tour')).toBe(1);
    expect(await c.store.outboxBacklog()).toBe(0);

    const list = await admin('/dead-letters');
    expect(list.status).toBe(200);
    check('DeadLetterPage', list.body);
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0]).toMatchObject({
      type: 'TourStarted', env: 'prod', source: 'sdk', client_id: 'client_a', attempts: 1, ts: TS,
      error: { code: poison.code[engine], message: expect.stringMatching(/no_poison_tour|refuse poison_tour/) },
    });
    expect(list.body.next_cursor).toBeNull();
    // org-scoped: the other org sees none
    expect((await admin('/dead-letters', { key: SEED_KEY })).body.data).toEqual([]);

    // the pipeline keeps going
    expect(await post('test-org', [ev('test-org', 'TourStarted', { tourId: 'ok_tour' }, 'client_c')])).toBe(204);
    await c.drain();
    expect(await starts('test-org', 'ok_tour')).toBe(3);
  });

  it('is reported by /health (degraded, with details) and counted in /metrics', async () => {
    const h = await health();
    expect(h.status).toBe(200);
    expect(h.body).toMatchObject({ status: 'degraded', store: engine, dead_letters: 1, problems: [{ code: 'dead_letters' }], processor: { running: true, consecutive_failures: 0 } });
    expect(await metric('waymark_dead_letters')).toBe(1);
    expect(await metric('waymark_processor_lag_seconds')).toBe(0);
  });

  it('is retried by an admin: still failing before the fix (attempts + 1), applied after it', async () => {
    const again = await admin('/dead-letters/retry', { method: 'POST', body: {} });
    expect(again.status).toBe(200);
    check('DeadLetterRetry', again.body);
    expect(again.body.data).toEqual({ retried: 1, applied: 0, failed: 1, gone: 0, remaining: 1 });
    expect((await admin('/dead-letters')).body.data[0].attempts).toBe(2);
    expect((await admin('/dead-letters/retry', { method: 'POST', body: { ids: ['x'] } })).status).toBe(400);

    await poison.remove(engine, c.store);
    const { id } = (await admin('/dead-letters')).body.data[0];
    expect((await admin('/dead-letters/retry', { method: 'POST', body: { ids: [id] } })).body.data).toEqual({ retried: 1, applied: 1, failed: 0, gone: 0, remaining: 0 });
    expect(await starts('test-org', 'poison_tour')).toBe(1);
    expect((await admin('/dead-letters')).body.data).toEqual([]);
    expect((await health()).body).toMatchObject({ status: 'ok', dead_letters: 0, problems: [] });
    const audit = (await admin('/audit')).body.data.filter((a: { action: string }) => a.action === 'retry_dead_letters');
    expect(audit[0].detail).toEqual({ retried: 1, applied: 1, failed: 0, gone: 0, remaining: 0 });
  });

  it('was never counted: erasing its user and rebuilding keep the counters exact', async () => {
    await poison.install(engine, c.store, 'poison_two');
    expect(await post('test-org', [ev('test-org', 'TourStarted', { tourId: 'poison_two' }, 'client_p'), ev('test-org', 'TourStarted', { tourId: 'ok_tour' }, 'client_p')])).toBe(204);
    await c.drain();
    expect((await admin('/dead-letters')).body.data.map((d: { client_id: string }) => d.client_id)).toEqual(['client_p']);
    const counters = async () => (await c.store.readCounters({})).map((x) => JSON.stringify(x)).sort();
    // a rebuild leaves the dead letter out (and does not trip on it)
    const before = await counters();
    await c.store.rebuildRollups(0, aggregate);
    expect(await counters()).toEqual(before);
    // erasing the user: its counted event is subtracted, the dead letter goes, nothing else moves
    expect(await starts('test-org', 'ok_tour')).toBe(4);
    const del = await admin('/users/client_p', { method: 'DELETE' });
    expect(del.body.data.deleted).toMatchObject({ raw_events: 2 });
    expect(await starts('test-org', 'ok_tour')).toBe(3);
    expect(await starts('test-org', 'poison_tour')).toBe(1);
    expect(await starts('test-org', 'poison_two')).toBe(0);
    expect((await admin('/dead-letters')).body.data).toEqual([]);
    await poison.remove(engine, c.store, 'poison_two');
  });
});
