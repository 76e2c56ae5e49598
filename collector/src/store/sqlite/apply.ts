/**
 * Applies an {@link Aggregation} inside the caller's transaction: the read models (entity states
 * and their sums, `readmodel.ts`), counter upserts (the claim's, plus the session ends the read
 * model counts once per session) and pixel record merges (the merge rule itself lives above the
 * engines, in `rollups/pixel.ts`). Activity entries are not stored: on SQLite the feed is read
 * from the raw events (`analytics-feed.ts`). This is the processor's one apply step per claim.
 */
import type Database from 'better-sqlite3';
import type { Aggregation } from '../types';
import { mergePixelRecord } from '../../rollups/pixel';
import { createSqliteReadModels } from './readmodel';

export function createApplier(db: Database.Database): (agg: Aggregation) => void {
  let stmts: ReturnType<typeof prepare> | undefined;
  const readModels = createSqliteReadModels(db);
  return (agg) => {
    const s = (stmts ??= prepare(db));
    const ends = readModels.apply(agg);
    for (const list of [agg.counters, ends]) {
      for (const c of list) s.counter.run(c.orgKey, c.env, c.contentKind, c.contentId, c.granularity, c.period, c.metric, c.dim, c.value);
    }
    // a session whose end moved (an earlier session_end arrived late) leaves no zero counter behind
    for (const c of ends) if (c.value < 0) s.dropZero.run(c.orgKey, c.env, c.contentKind, c.contentId, c.granularity, c.period, c.metric, c.dim);
    for (const u of agg.pixel) {
      const kind = u.kind === 'session' ? 's' : 'u';
      const row = s.pixelGet.get(u.record.orgKey, kind, u.record.id) as
        | { site: string; sid: string; uid: string; eid: string; unixtimestamp: number; props: string }
        | undefined;
      const merged = row
        ? mergePixelRecord({ ...row, orgKey: u.record.orgKey, id: u.record.id, props: JSON.parse(row.props) }, u.record)
        : u.record;
      s.pixelPut.run(merged.orgKey, kind, merged.id, merged.site, merged.sid, merged.uid, merged.eid, merged.unixtimestamp, JSON.stringify(merged.props));
    }
  };
}

function prepare(db: Database.Database) {
  return {
    counter: db.prepare(
      `INSERT INTO counters (org, env, kind, content_id, granularity, period, metric, dim, value)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (org, env, kind, content_id, granularity, period, metric, dim) DO UPDATE SET value = value + excluded.value`,
    ),
    dropZero: db.prepare(
      'DELETE FROM counters WHERE org = ? AND env = ? AND kind = ? AND content_id = ? AND granularity = ? AND period = ? AND metric = ? AND dim = ? AND value = 0',
    ),
    pixelGet: db.prepare('SELECT * FROM pixel_records WHERE org = ? AND kind = ? AND id = ?'),
    pixelPut: db.prepare(
      `INSERT INTO pixel_records (org, kind, id, site, sid, uid, eid, unixtimestamp, props) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (org, kind, id) DO UPDATE SET site = excluded.site, sid = excluded.sid, uid = excluded.uid,
         eid = excluded.eid, unixtimestamp = excluded.unixtimestamp, props = excluded.props`,
    ),
  };
}
