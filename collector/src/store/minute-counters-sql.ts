/**
 * Retention of the minute counters (the per-environment event counts per minute that the live
 * figure reads), in SQL both engines run. The counters' key starts with org and env, so the orgs
 * are found by a loose index scan (one index descent per org, not a scan of every counter) and
 * each org × env deletes a key range.
 */
import { ENVIRONMENTS } from '@waymark/core/schema';
import { ENV_EVENTS } from '../rollups/env-events';

/** The orgs that have counters, one index descent each. */
export const COUNTER_ORGS_SQL = `WITH RECURSIVE o(org) AS (
  SELECT min(org) FROM counters
  UNION ALL
  SELECT (SELECT min(c.org) FROM counters c WHERE c.org > o.org) FROM o WHERE o.org IS NOT NULL
) SELECT org FROM o WHERE org IS NOT NULL`;

/** Deletes one org × env's minute counters before a period; parameters: org, env, period. */
export function minuteCountersDeleteSql(engine: 'sqlite' | 'postgres'): string {
  const [org, env, period] = engine === 'sqlite' ? ['?', '?', '?'] : ['$1', '$2', '$3'];
  return `DELETE FROM counters WHERE org = ${org} AND env = ${env} AND kind = '${ENV_EVENTS.contentKind}' AND content_id = '${ENV_EVENTS.contentId}'
    AND granularity = 'minute' AND period < ${period}`;
}

/** Every environment a minute counter can belong to. */
export const COUNTER_ENVS: readonly string[] = ENVIRONMENTS;
