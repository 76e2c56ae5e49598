/** Read-side methods of the PostgreSQL store that mirror SQLite's one for one. */
import type pg from 'pg';
import type { Counter, CounterQuery, EventQuery, JourneySettings, StoredEvent } from '../types';
import { rowToEvent, type PgRawRow } from './rows';

function where(conds: [string, unknown][]): { sql: string; values: unknown[] } {
  const values: unknown[] = [];
  const parts = conds.map(([cond, v]) => {
    values.push(v);
    return cond.replace('?', `$${values.length}`);
  });
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', values };
}

export async function listEvents(db: pg.Pool, q: EventQuery): Promise<StoredEvent[]> {
  const conds: [string, unknown][] = [];
  if (q.orgKey !== undefined) conds.push(['org = ?', q.orgKey]);
  if (q.fromTs !== undefined) conds.push(['ts >= ?', q.fromTs]);
  if (q.toTs !== undefined) conds.push(['ts < ?', q.toTs]);
  if (q.afterSeq !== undefined) conds.push(['seq > ?', q.afterSeq]);
  const w = where(conds);
  const { rows } = await db.query<PgRawRow>(`SELECT * FROM raw_events ${w.sql} ORDER BY seq LIMIT $${w.values.length + 1}`, [...w.values, q.limit]);
  return rows.map(rowToEvent);
}

export async function readCounters(db: pg.Pool, q: CounterQuery): Promise<Counter[]> {
  const cols: [keyof CounterQuery, string][] = [
    ['orgKey', 'org = ?'],
    ['env', 'env = ?'],
    ['contentKind', 'kind = ?'],
    ['contentId', 'content_id = ?'],
    ['granularity', 'granularity = ?'],
    ['metric', 'metric = ?'],
    ['fromPeriod', 'period >= ?'],
    ['toPeriod', 'period <= ?'],
  ];
  const w = where(cols.filter(([k]) => q[k] !== undefined).map(([k, c]) => [c, q[k]]));
  const { rows } = await db.query(
    `SELECT org AS "orgKey", env, kind AS "contentKind", content_id AS "contentId", granularity, period, metric, dim, value
       FROM counters ${w.sql} ORDER BY org, env, kind, content_id, granularity, period, metric, dim`,
    w.values,
  );
  return rows as Counter[];
}

export async function listJourneySettings(db: pg.Pool): Promise<JourneySettings[]> {
  const { rows } = await db.query<{ org: string; journey: string; allowed_origins: string; updated_at: number }>('SELECT * FROM journey_settings');
  return rows.map((r) => ({ orgKey: r.org, journeyKey: r.journey, allowedOrigins: JSON.parse(r.allowed_origins) as string[], updatedAt: r.updated_at }));
}

export async function saveJourneySettings(db: pg.Pool, j: JourneySettings): Promise<void> {
  await db.query(
    `INSERT INTO journey_settings (org, journey, allowed_origins, updated_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (org, journey) DO UPDATE SET allowed_origins = excluded.allowed_origins, updated_at = excluded.updated_at`,
    [j.orgKey, j.journeyKey, JSON.stringify(j.allowedOrigins), j.updatedAt],
  );
}
