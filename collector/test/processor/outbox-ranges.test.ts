// waymark-test-store: sqlite-only
/**
 * SQLite keeps one outbox row per commit (a range of consecutive raw seqs) instead of one per
 * event. A claim may split a large range; events erased or purged while still in a range are
 * never counted; rows written by the first schema version (one per event) are still processed.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aggregate } from '../../src/rollups/aggregate';
import { migrations } from '../../src/store/sqlite/migrations';
import { createSqliteStore } from '../../src/store/sqlite/index';
import type { RawEvent } from '../../src/store/types';
import { dir, replaceStore, store, useSqliteStore } from '../helpers/sqlite';

useSqliteStore('ranges');

const ts = Date.parse('2026-03-01T10:00:00Z');
function raw(id: string, clientId = 'c'): RawEvent {
  const json = JSON.stringify({ _tag: 'step_view', schemaVersion: 1, id, ts: new Date(ts).toISOString(), orgKey: 'o', journeyKey: 'j', sessionId: 's', clientId, url: 'https://a.example/', stepKey: 'k' });
  return { orgKey: 'o', env: 'prod', contentKind: 'journey', contentId: 'j', ts, eventId: id, sessionId: 's', clientId, type: 'step_view', source: 'sdk', json };
}
const stepViews = async () =>
  (await store.readCounters({ orgKey: 'o', granularity: 'day', metric: 'step_views' })).filter((c) => c.dim === '').reduce((n, c) => n + c.value, 0);
const outboxRows = () => store.db.prepare('SELECT count(*) FROM outbox').pluck().get() as number;

describe('SQLite outbox ranges', () => {
  it('writes one outbox row per commit, and a claim smaller than a commit splits it exactly', async () => {
    await Promise.all([store.append(Array.from({ length: 7 }, (_, i) => raw(`a${i}`))), store.append([raw('a0'), raw('b0'), raw('b1')])]);
    await store.append([raw('c0'), raw('c1')]);
    expect(outboxRows()).toBe(2);
    expect(await store.outboxBacklog()).toBe(11);
    const claims: number[] = [];
    for (let n; (n = await store.processOutbox(4, aggregate)) > 0; ) claims.push(n);
    expect(claims).toEqual([4, 4, 3]); // the first commit (9 new events) split 4 + 4 + 1, the last claim also takes the second
    expect(await stepViews()).toBe(11);
    expect(await store.outboxBacklog()).toBe(0);
    expect(outboxRows()).toBe(0);
  });

  it('never counts events erased or purged while still waiting, and counts the rest of their commit', async () => {
    await Promise.all([store.append([raw('u1', 'gone'), raw('k1', 'kept'), raw('u2', 'gone')]), store.append([raw('k2', 'kept')])]);
    expect(await store.outboxBacklog()).toBe(4);
    const erased = await store.analytics.deleteUser('o', 'gone', aggregate);
    expect(erased.rawEvents).toBe(2);
    expect(erased.counters).toBe(0); // nothing of theirs was counted yet: nothing to decrement
    expect(await store.outboxBacklog()).toBe(2);
    await store.append([raw('k3', 'kept')]);
    await store.purgeExpired({ sdkBefore: ts + 1, pixelBefore: 0, activityBefore: 0 }); // every event so far
    expect(await store.outboxBacklog()).toBe(0);
    while ((await store.processOutbox(100, aggregate)) > 0);
    expect(await stepViews()).toBe(0);
    expect(outboxRows()).toBe(0);
  });

  it('never reuses the seq of an erased or purged event that is still in a waiting range', async () => {
    // SQLite would give a new row max(seq) + 1, i.e. the seq of the newest event once it is deleted
    await store.append([raw('k1', 'kept'), raw('u1', 'gone')]);
    await store.analytics.deleteUser('o', 'gone', aggregate);
    await store.append([raw('n1', 'kept')]);
    await store.append([raw('n2', 'kept')]);
    await store.purgeExpired({ sdkBefore: ts + 1, pixelBefore: 0, activityBefore: 0 }); // all three
    await store.append([raw('n3', 'kept')]);
    expect(await store.outboxBacklog()).toBe(1);
    while ((await store.processOutbox(100, aggregate)) > 0);
    expect(await stepViews()).toBe(1); // n3, once
  });

  it('processes the one-row-per-event outbox rows of a database written before ranges', async () => {
    await store.close();
    const file = join(dir, 'old.db');
    const old = new Database(file);
    old.exec(migrations[0]!);
    old.pragma('user_version = 1');
    const ins = old.prepare(
      `INSERT INTO raw_events (org, env, kind, content_id, ts, event_id, session_id, client_id, type, source, received_at, json)
       VALUES (@orgKey, @env, @contentKind, @contentId, @ts, @eventId, @sessionId, @clientId, @type, @source, 0, @json)`,
    );
    for (const id of ['o1', 'o2', 'o3']) old.prepare('INSERT INTO outbox (raw_seq) VALUES (?)').run(ins.run(raw(id)).lastInsertRowid);
    old.close();
    await replaceStore(createSqliteStore({ filename: file }));
    await store.migrate();
    await store.append([raw('n1'), raw('o1')]); // o1 is a duplicate of an old event
    expect(await store.outboxBacklog()).toBe(4);
    while ((await store.processOutbox(2, aggregate)) > 0);
    expect(await stepViews()).toBe(4);
    expect(outboxRows()).toBe(0);
  });
});
