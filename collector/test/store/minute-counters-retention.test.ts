// waymark-test-store: both-engines
/**
 * Retention of the minute counters (the live figure's), on each engine: the purge deletes the
 * minute counters older than a day in every org and environment, keeps the recent ones (the live
 * figure is unchanged), and keeps every hour and day counter (the environment counts are unchanged).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { live } from '../../src/analytics/live';
import { parseConfig } from '../../src/config/schema';
import { purgeNow } from '../../src/retention';
import { aggregate } from '../../src/rollups/aggregate';
import type { RawEvent, Store } from '../../src/store/types';
import { ENGINES, openStore } from '../helpers/engines';

const NOW = Date.UTC(2025, 4, 14, 12, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;
// event ages: 3 days, 25 hours (both older than a day), 23 hours, 2 minutes
const AGES = [72 * HOUR, 25 * HOUR, 23 * HOUR, 2 * MIN];
let n = 0;
const raw = (orgKey: string, env: string, ts: number): RawEvent => ({
  orgKey, env, contentKind: 'none', contentId: '', ts, eventId: `mc_${n++}`, sessionId: 's1', clientId: 'c1', type: 'page_view', source: 'sdk',
  json: JSON.stringify({ _tag: 'page_view', schemaVersion: 1, id: `mc_${n}`, ts: new Date(ts).toISOString(), orgKey, sessionId: 's1', clientId: 'c1', url: 'https://a.example/', embedVersion: '1.0.0' }),
});

describe.each(ENGINES)('minute counter retention on %s', (engine) => {
  let store: Store;
  let dispose: () => Promise<void>;
  const counters = async (granularity: 'minute' | 'hour' | 'day') =>
    (await store.readCounters({ contentKind: 'none', contentId: '', metric: 'events', granularity })).map((c) => `${c.orgKey}/${c.env}/${c.period}=${c.value}`).sort();

  beforeAll(async () => {
    ({ store, dispose } = await openStore(engine));
    const events: RawEvent[] = [];
    for (const org of ['acme', 'other']) for (const env of ['prod', 'dev']) for (const age of AGES) events.push(raw(org, env, NOW - age));
    await store.append(events);
    while ((await store.processOutbox(1000, aggregate)) > 0);
  }, 60_000);
  afterAll(() => dispose?.());

  it('deletes the minute counters older than a day in every org and environment, and nothing else', async () => {
    const minutes = await counters('minute');
    expect(minutes).toHaveLength(16);
    const [hours, days] = [await counters('hour'), await counters('day')];
    const liveBefore = await live(store.analytics, { orgKey: 'acme', env: 'prod' }, NOW);
    expect(liveBefore.events).toBe(1);

    // raw events are kept 90 days: only the minute counters' own retention applies
    const retention = parseConfig({ orgs: [{ key: 'acme', apiKeys: ['sk_live_minute_counters_01'] }] }).retention;
    const r = await purgeNow(store, retention, NOW);
    expect(r).toEqual({ rawEvents: 0, activity: 0, pixelRecords: 0, minuteCounters: 8 });
    const recent = (ts: number) => new Date(ts).toISOString().slice(0, 16);
    expect(await counters('minute')).toEqual(minutes.filter((m) => [recent(NOW - 23 * HOUR), recent(NOW - 2 * MIN)].some((p) => m.includes(`/${p}=`))));
    expect(await counters('minute')).toHaveLength(8);
    expect(await counters('hour')).toEqual(hours);
    expect(await counters('day')).toEqual(days);
    expect(await live(store.analytics, { orgKey: 'acme', env: 'prod' }, NOW)).toEqual(liveBefore);
    // a second purge finds nothing more
    expect((await purgeNow(store, retention, NOW)).minuteCounters).toBe(0);
  });
});
