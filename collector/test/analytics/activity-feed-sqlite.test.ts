// waymark-test-store: sqlite-only
/**
 * On SQLite the activity feed is read from the raw events: the processor's rule decides which
 * events are in it and their `detail`; the feed's own retention (`activityDays`) is a cut-off
 * kept by the purge, even when raw events are kept longer.
 */
import { describe, expect, it } from 'vitest';
import { aggregate } from '../../src/rollups/aggregate';
import type { RawEvent } from '../../src/store/types';
import { store, useSqliteStore } from '../helpers/sqlite';

const DAY = 86_400_000;
const NOW = Date.parse('2026-03-20T12:00:00Z');
useSqliteStore('feed');

function sdk(id: string, ts: number, tag = 'StepViewed', extra: Record<string, unknown> = {}): RawEvent {
  const e = { _tag: tag, schemaVersion: 1, id, ts: new Date(ts).toISOString(), orgKey: 'o', sessionId: 's1', clientId: 'u1', url: 'https://a.example/', embedVersion: '1', tourId: 't1', stepId: 'x', stepIndex: 0, ...extra };
  return { orgKey: 'o', env: 'prod', contentKind: 'tour', contentId: 't1', ts, eventId: id, sessionId: 's1', clientId: 'u1', type: tag, source: 'sdk', json: JSON.stringify(e) };
}
const feed = async (by: 'user' | 'session' | 'content') =>
  (
    await store.analytics.activity({
      orgKey: 'o',
      env: 'prod',
      limit: 100,
      ...(by === 'user' ? { by, clientId: 'u1' } : by === 'session' ? { by, sessionId: 's1' } : { by, contentKind: 'tour' as const, contentId: 't1' }),
    })
  ).rows.map((r) => r.event_id);

describe('SQLite activity feed', () => {
  it('holds the SDK events of the processor rule, newest first, with their detail', async () => {
    await store.append([
      sdk('a', NOW - 3000),
      sdk('b', NOW - 2000, 'field_focus', { fieldKey: 'email' }),
      sdk('c', NOW - 1000, 'TourDismissed', { stepId: 'y' }),
      { ...sdk('p', NOW), source: 'pixel', type: 'pixel', json: JSON.stringify({ si: 'x', unixtimestamp: NOW, eid: 'p', sid: 's1', uid: 'u1', props: {} }) },
    ]);
    for (const by of ['user', 'session', 'content'] as const) expect(await feed(by)).toEqual(['c', 'a']);
    const page = await store.analytics.activity({ orgKey: 'o', env: 'prod', by: 'user', clientId: 'u1', limit: 1 });
    expect(page.rows[0]).toMatchObject({ event_id: 'c', type: 'TourDismissed', content_kind: 'tour', detail: { tourId: 't1', stepId: 'y', stepIndex: 0 } });
    const rest = await store.analytics.activity({ orgKey: 'o', env: 'prod', by: 'user', clientId: 'u1', limit: 1, before: page.next });
    expect(rest.rows.map((r) => r.event_id)).toEqual(['a']);
  });

  it('keeps its own retention cut-off when raw events are kept longer, and counts what it drops', async () => {
    await store.append([sdk('old', NOW - 40 * DAY), sdk('old2', NOW - 35 * DAY, 'field_blur', { fieldKey: 'f', durationMs: 1 }), sdk('new', NOW - DAY)]);
    while ((await store.processOutbox(100, aggregate)) > 0);
    const cutoffs = { sdkBefore: NOW - 90 * DAY, pixelBefore: NOW - 60 * DAY, activityBefore: NOW - 30 * DAY };
    expect(await store.purgeExpired(cutoffs)).toEqual({ rawEvents: 0, activity: 1, pixelRecords: 0, minuteCounters: 0 });
    expect(await feed('user')).toEqual(['new']);
    expect(await store.countEvents()).toBe(3); // raw events stay for their own retention
    expect(await store.purgeExpired(cutoffs)).toEqual({ rawEvents: 0, activity: 0, pixelRecords: 0, minuteCounters: 0 });
    // a shorter raw retention takes the feed's entries with it
    expect(await store.purgeExpired({ ...cutoffs, sdkBefore: NOW })).toEqual({ rawEvents: 3, activity: 1, pixelRecords: 0, minuteCounters: 0 });
    expect(await feed('user')).toEqual([]);
  });

  it('erasing a user removes their feed and reports its entries', async () => {
    await store.append([sdk('a', NOW - 2000), sdk('b', NOW - 1000, 'field_change', { fieldKey: 'f' })]);
    const r = await store.analytics.deleteUser('o', 'u1', aggregate);
    expect(r).toMatchObject({ rawEvents: 2, activity: 1 });
    expect(await feed('user')).toEqual([]);
  });
});
