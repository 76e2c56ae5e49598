/**
 * Deleting one user's data on SQLite (by clientId / pixel uid), in one transaction: their raw
 * events (and with them their activity entries, which are read from the raw events) and pixel
 * records go, and every counter their already processed events had added is decremented by
 * exactly what the processor's own aggregator says they added; their journey sessions and tour
 * attempts leave the read models with everything they added (`readmodel.ts`). Events still waiting
 * in the outbox were never counted: they are simply deleted.
 *
 * Known limit: counters and event-level sums of events whose raw rows were already purged by
 * retention cannot be corrected (the rollups outlive the raw events by design); the user's
 * sessions and attempts can, as their states are kept.
 */
import type Database from 'better-sqlite3';
import type { AnalyticsReader } from '../../analytics/reader';
import type { Aggregator } from '../types';
import { rowToEvent, type RawRow } from '../raw-row';
import { inActivityFeed } from '../../rollups/aggregate';
import { activityCutoff } from './analytics-feed';
import { createSqliteErasure } from './erasure';
import { createSqliteReadModels } from './readmodel';

export function createUserDeletion(db: Database.Database): Pick<AnalyticsReader, 'deleteUser'> {
  let s: ReturnType<typeof prepare> | undefined;
  const erasure = createSqliteErasure(db);
  const readModels = createSqliteReadModels(db);

  const run = (orgKey: string, clientId: string, aggregate: Aggregator) => {
    const st = (s ??= prepare(db));
    // the tombstone (later events of this user are discarded) and the user's dead letters (never counted)
    const neverCounted = erasure.begin(orgKey, clientId, Date.now());
    const rows = st.events.all(orgKey, clientId) as RawRow[];
    // events inside an outbox range were never counted; once their raw rows are gone the
    // processor finds nothing for them in the range, so the outbox rows themselves stay
    const ranges = st.outbox.all() as { first: number; last: number }[];
    const pending = (seq: number) => ranges.some((r) => seq >= r.first && seq <= r.last);
    const processed = aggregate(rows.filter((r) => !pending(r.seq) && !neverCounted.has(r.seq)).map(rowToEvent));
    // the read models: the user's sessions and tour attempts, and their events' sums
    const rm = readModels.deleteUser(orgKey, clientId, processed);
    const keys = new Set<string>();
    const decrements = [...processed.counters, ...rm.counters.map((c) => ({ ...c, value: -c.value }))];
    for (const c of decrements) {
      st.decrement.run(c.value, c.orgKey, c.env, c.contentKind, c.contentId, c.granularity, c.period, c.metric, c.dim);
      st.dropZero.run(c.orgKey, c.env, c.contentKind, c.contentId, c.granularity, c.period, c.metric, c.dim);
      keys.add(`${c.env}|${c.contentKind}|${c.contentId}|${c.granularity}|${c.period}|${c.metric}|${c.dim}`);
    }
    // the feed is read from the raw events: its entries go with them
    const cutoff = activityCutoff(db);
    const activity = rows.filter((r) => r.ts >= cutoff && inActivityFeed(r)).length;
    const rawEvents = st.deleteEvents.run(orgKey, clientId).changes;
    const pixelRecords = st.deletePixel.run(orgKey, clientId, clientId).changes;
    return { rawEvents, activity, pixelRecords, counters: keys.size };
  };
  const tx = db.transaction(run);

  return {
    async deleteUser(orgKey, clientId, aggregate) {
      // IMMEDIATE: take the write lock before reading the outbox, so a processor on another
      // connection (the worker thread) cannot count one of these events in between
      return tx.immediate(orgKey, clientId, aggregate);
    },
  };
}

// raw_events_client (the activity feed's index by user) finds the user's events
function prepare(db: Database.Database) {
  const key = 'org = ? AND env = ? AND kind = ? AND content_id = ? AND granularity = ? AND period = ? AND metric = ? AND dim = ?';
  return {
    events: db.prepare('SELECT * FROM raw_events WHERE org = ? AND client_id = ?'),
    outbox: db.prepare('SELECT raw_seq AS first, coalesce(raw_last, raw_seq) AS last FROM outbox'),
    decrement: db.prepare(`UPDATE counters SET value = value - ? WHERE ${key}`),
    dropZero: db.prepare(`DELETE FROM counters WHERE ${key} AND value = 0`),
    deleteEvents: db.prepare('DELETE FROM raw_events WHERE org = ? AND client_id = ?'),
    deletePixel: db.prepare(`DELETE FROM pixel_records WHERE org = ? AND ((kind = 'u' AND id = ?) OR (kind = 's' AND uid = ?))`),
  };
}
