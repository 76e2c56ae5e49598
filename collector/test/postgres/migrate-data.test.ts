/**
 * `waymark-collector migrate-data --from <sqlite file> --to postgres://…`: the PostgreSQL copy
 * equals the SQLite installation (raw events, rollups, activity, pixel records, journey settings,
 * erasure tombstones, dead letters, and events still waiting in SQLite's outbox); a re-run changes
 * nothing; a later run picks up only what SQLite stored since.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { aggregate } from '../../src/rollups/aggregate';
import { createPostgresStore } from '../../src/store/postgres/index';
import { migrateData } from '../../src/store/postgres/migrate-data';
import { createSqliteStore } from '../../src/store/sqlite/index';
import type { Store } from '../../src/store/types';
import { pixelEvent, tourEvent } from './fixtures';
import { createTestSchema, type TestSchema } from './pg-test-db';

const db = await createTestSchema('wmmig');
const dir = mkdtempSync(join(tmpdir(), 'waymark-migrate-'));
afterAll(async () => {
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});
const cli = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));

async function snapshot(s: Store) {
  const events = (await s.listEvents({ limit: 100_000 })).map(({ seq: _s, ...e }) => e).sort((a, b) => (a.eventId < b.eventId ? -1 : 1));
  const activity = await s.analytics.activity({ orgKey: 'acme', env: 'prod', by: 'user', clientId: 'c_1', limit: 1000 });
  return {
    events,
    counters: await s.readCounters({}),
    activity: activity.rows,
    pixel: await Promise.all([s.getPixelRecord('session', 'acme', 'S1'), s.getPixelRecord('user', 'acme', 'U1')]),
    journeys: await s.listJourneySettings(),
    deadLetters: (await s.deadLetters.list({ orgKey: 'acme', limit: 100 })).rows.map(({ id: _i, rawSeq: _r, ...d }) => d),
  };
}

describe.skipIf(!db)('migrate-data from SQLite to PostgreSQL', () => {
  it('copies everything, is idempotent, and picks up later events', async () => {
    const t = db as TestSchema;
    const file = join(dir, 'waymark.db');
    const lite = createSqliteStore({ filename: file });
    await lite.migrate();
    await lite.append(Array.from({ length: 400 }, (_, i) => tourEvent(i)));
    await lite.append([
      pixelEvent(1, { sid: 'S1', uid: 'U1', ts: 2000, props: { a: '1' } }),
      pixelEvent(2, { sid: 'S1', uid: 'U1', ts: 1000, props: { a: 'old', b: '2' } }),
    ]);
    while ((await lite.processOutbox(100, aggregate)) > 0);
    await lite.saveJourneySettings({ orgKey: 'acme', journeyKey: 'signup', allowedOrigins: ['https://a.example'], updatedAt: 5 });
    // an erased user, and an event SQLite's processor could not apply (a dead letter)
    await lite.append([tourEvent(950, { client: 'erased_c', id: 'e950' })]);
    while ((await lite.processOutbox(100, aggregate)) > 0);
    await lite.analytics.deleteUser('acme', 'erased_c', aggregate);
    lite.db.exec("CREATE TRIGGER poison BEFORE INSERT ON counters WHEN NEW.content_id = 'tour_poison' BEGIN SELECT RAISE(ABORT, 'poison'); END");
    await lite.append([tourEvent(900, { tour: 'tour_poison', id: 'poisoned' })]);
    while ((await lite.processOutbox(100, aggregate)) > 0);
    lite.db.exec('DROP TRIGGER poison');
    // events the SQLite processor has not applied yet (the collector was stopped before)
    await lite.append(Array.from({ length: 30 }, (_, i) => tourEvent(1000 + i)));
    expect(await lite.outboxBacklog()).toBe(30);
    await lite.close();

    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', cli, 'migrate-data', '--from', file, '--to', t.url, '--schema', t.schema]);
    expect(stdout).toMatch(/migrated: \d+ new raw events .* 1 erased users, 1 dead letters/);

    const pg = createPostgresStore({ url: t.url, schema: t.schema });
    const source = createSqliteStore({ filename: join(dir, 'waymark.db') });
    try {
      while ((await source.processOutbox(100, aggregate)) > 0); // what SQLite would count next
      const want = await snapshot(source);
      expect(await snapshot(pg)).toEqual(want);
      expect(await pg.outboxBacklog()).toBe(0);
      expect(want.deadLetters.map((d) => d.eventId)).toEqual(['poisoned']);
      // the erased user stays erased
      expect((await pg.append([tourEvent(901, { client: 'erased_c', id: 'after_erasure' })])).erased).toBe(1);

      // a re-run changes nothing
      const again = await migrateData({ from: file, to: t.url, schema: t.schema });
      expect(again).toMatchObject({ rawEvents: 0, counterKeys: 0, activity: 0, journeySettings: 0, deadLetters: 0 });
      expect(await snapshot(pg)).toEqual(want);

      // PostgreSQL collectors count meanwhile; SQLite stored more; the next run adds only the new
      await pg.append([tourEvent(5000, { id: 'pg_only' })]);
      while ((await pg.processOutbox(100, aggregate)) > 0);
      await source.append(Array.from({ length: 20 }, (_, i) => tourEvent(2000 + i)));
      while ((await source.processOutbox(100, aggregate)) > 0);
      const later = await migrateData({ from: file, to: t.url, schema: t.schema });
      expect(later.rawEvents).toBe(20);
      await source.append([tourEvent(5000, { id: 'pg_only' })]); // the same event in both: counted once
      while ((await source.processOutbox(100, aggregate)) > 0);
      const arrival = (x: Awaited<ReturnType<typeof snapshot>>) => ({ ...x, events: x.events.map((e) => (e.eventId === 'pg_only' ? { ...e, receivedAt: 0 } : e)) });
      expect(arrival(await snapshot(pg))).toEqual(arrival(await snapshot(source)));
    } finally {
      await pg.close();
      await source.close();
    }
  }, 120_000);
});
