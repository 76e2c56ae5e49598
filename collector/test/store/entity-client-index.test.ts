// waymark-test-store: sqlite-only
/**
 * SQLite keeps the read models' entities in session-id order and indexes their client by start
 * hour first (migration 11, `sqlite/readmodel.ts`), so that a claim's new sessions and attempts
 * change few pages: the migration keeps every entity, an upsert still finds its entity, and a
 * deletion by user still finds all of the user's entities whatever the hours they started in.
 */
import { describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../src/store/sqlite/index';
import { createSqliteReadModels, ENTITIES_OF_CLIENT_SQL } from '../../src/store/sqlite/readmodel';
import type { SessionState } from '../../src/rollups/readmodel';
import { migrateUpTo } from '../helpers/sqlite';

const T = Date.UTC(2025, 4, 2, 10, 30);
const HOUR = 3_600_000;
const entity = (client: string, session: string, start: number) =>
  ['acme', 'prod', 'journey', 'grant', session, client, start, null, JSON.stringify({ s: start, st: {} } satisfies SessionState)] as const;

describe('entities by session id, client index by start hour (SQLite)', () => {
  it('the migration keeps every entity; a deletion finds the user in every hour, including years apart', async () => {
    const store = createSqliteStore({ filename: ':memory:' });
    migrateUpTo(store, 'rm_entities_client_hour');
    const put = store.db.prepare('INSERT INTO rm_entities (org, env, kind, content_id, entity_id, client_id, start_ts, end_ts, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const rows = [
      entity('u1', 's1', T), entity('u2', 's2', T + 10), entity('u1', 's3', T + 5 * HOUR), entity('u1', 's4', T - 400 * 24 * HOUR),
      entity('u2', 's5', T + 5 * HOUR), entity('u1', 's6', -HOUR / 2),
    ];
    for (const r of rows) put.run(...r);
    const all = () => store.db.prepare('SELECT org, env, kind, content_id, entity_id, client_id, start_ts, end_ts, state FROM rm_entities ORDER BY entity_id').raw().all();
    const before = all();
    await store.migrate();
    expect(all()).toEqual(before);
    expect(store.db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'rm_entities_client'").pluck().get()).toBe(0);

    // the upsert target still names the entity: a second insert of the same key changes nothing
    const again = store.db.prepare(
      `INSERT INTO rm_entities (org, env, kind, content_id, entity_id, client_id, start_ts, end_ts, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (org, env, kind, content_id, entity_id) DO NOTHING`,
    );
    expect(again.run(...entity('u9', 's1', T)).changes).toBe(0);

    const rm = createSqliteReadModels(store.db);
    const { entities } = store.db.transaction(() => rm.deleteUser('acme', 'u1', { sums: [], sketches: [] }))();
    expect(entities).toBe(4);
    expect(store.db.prepare('SELECT entity_id FROM rm_entities ORDER BY entity_id').pluck().all()).toEqual(['s2', 's5']);
    expect(store.db.transaction(() => rm.deleteUser('acme', 'u1', { sums: [], sketches: [] }))().entities).toBe(0);
    expect(store.db.transaction(() => rm.deleteUser('other', 'u2', { sums: [], sketches: [] }))().entities).toBe(0);
    await store.close();
  });

  it('a deletion reads the client index one hour at a time, not the whole table', async () => {
    const store = createSqliteStore({ filename: ':memory:' });
    await store.migrate();
    const plan = store.db.prepare(`EXPLAIN QUERY PLAN ${ENTITIES_OF_CLIENT_SQL}`).all({ org: 'acme', client: 'u1' }) as { detail: string }[];
    const details = plan.map((p) => p.detail).join('\n');
    expect(details).toContain('USING INDEX rm_entities_client_hour (org=? AND <expr>=? AND client_id=?)');
    expect(details).not.toMatch(/SCAN e\b|SCAN rm_entities\b/);
    await store.close();
  });
});
