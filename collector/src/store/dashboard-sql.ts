/**
 * SQL of the dashboard reads that SQLite and PostgreSQL share (`?` placeholders; the
 * PostgreSQL side numbers them). Both engines key `counters` by
 * `(org, env, kind, content_id, granularity, period, metric, dim)`.
 */
import { ENVIRONMENTS } from '@waymark/core/schema';

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/**
 * The distinct content ids of a kind, one index seek each (a recursive skip scan: the next id
 * is the smallest one above the previous), at most `limit`. Parameters: org, env, kind, org,
 * env, kind, limit.
 */
export const CONTENT_IDS = `
  WITH RECURSIVE ids(id, n) AS (
    SELECT (SELECT MIN(content_id) FROM counters WHERE org = ? AND env = ? AND kind = ?), 1
    UNION ALL
    SELECT (SELECT MIN(content_id) FROM counters WHERE org = ? AND env = ? AND kind = ? AND content_id > ids.id), ids.n + 1
      FROM ids WHERE ids.id IS NOT NULL AND ids.n < ?
  )
  SELECT id FROM ids WHERE id IS NOT NULL`;

/** Parameters: org, kind, content id. */
export const CONTENT_KNOWN = `SELECT 1 AS known FROM counters
  WHERE org = ? AND env IN (${ENVIRONMENTS.map((e) => `'${e}'`).join(', ')}) AND kind = ? AND content_id = ? LIMIT 1`;

/** Parameters: org, env, kind, ...ids, granularity, from, to, ...metrics. */
export const dimSeriesSql = (ids: number, metrics: number) => `
  SELECT content_id AS "contentId", period, metric, dim, value FROM counters
   WHERE org = ? AND env = ? AND kind = ? AND content_id IN (${marks(ids)})
     AND granularity = ? AND period >= ? AND period <= ? AND metric IN (${marks(metrics)}) AND dim <> ''`;

/** Parameters: org, ...sites, start, end (the `pixel_records_site` index: org, site, kind, time). */
export const pixelActivitySql = (sites: number) => `
  SELECT site, kind, COUNT(*) AS n FROM pixel_records
   WHERE org = ? AND site IN (${marks(sites)}) AND kind IN ('s', 'u') AND unixtimestamp >= ? AND unixtimestamp < ?
   GROUP BY site, kind`;

/** Folds `(site, kind, n)` rows into one row per asked site (zeros included). */
export function pixelActivityRows(sites: string[], rows: { site: string; kind: string; n: number | string }[]) {
  const by = new Map(sites.map((s) => [s, { site: s, sessions: 0, users: 0 }]));
  for (const r of rows) {
    const s = by.get(r.site);
    if (s) s[r.kind === 's' ? 'sessions' : 'users'] = Number(r.n);
  }
  return [...by.values()];
}
