/**
 * The OpenAPI schemas and paths of the dashboard's endpoints (`routes/admin/dashboard.ts`),
 * merged into the admin API's document by `openapi.ts`.
 */
import { activityRow, arr, bucket, date, dateTime, envelope, int, nullable, num, obj, paged, period, rate, str } from './openapi-schemas';

type Schema = Record<string, unknown>;
type P = Record<string, unknown>;

const change = nullable(num);
const counts = arr(int);
const contentTotals = obj({ views: int, dismissals: int, cta_clicks: int, click_through_rate: nullable(rate), dismissal_rate: nullable(rate) });

export const dashboardSchemas: Record<string, Schema> = {
  Environments: envelope(obj({
    org: obj({ key: str, journeys: arr(str), sites: arr(str) }),
    period,
    environments: arr(obj({ env: { type: 'string', enum: ['prod', 'staging', 'dev'] }, events: int })),
    busiest: nullable(str),
  })),
  Live: envelope(obj({
    now: dateTime,
    window_minutes: int,
    events: int,
    per_minute: arr(obj({ minute: dateTime, events: int })),
  })),
  Entities: envelope(obj({
    period,
    previous_period: period,
    dates: arr(bucket),
    sections: arr(obj({
      kind: { type: 'string', enum: ['journey', 'tour', 'content', 'site'] },
      traffic_metric: str,
      rate_metric: nullable(str),
      items: arr(obj({
        id: str, traffic: int, previous_traffic: int, traffic_change_pct: change,
        rate: nullable(rate), previous_rate: nullable(rate), rate_change_pts: change, daily: counts, configured: { type: 'boolean' },
      })),
    })),
  })),
  ContentAnalytics: envelope(obj({
    content_id: str,
    period,
    previous_period: period,
    totals: contentTotals,
    previous: contentTotals,
    change: obj({ views_pct: change, click_through_rate_pts: change }),
    daily: arr(obj({ date: bucket, views: int, dismissals: int, cta_clicks: int, click_through_rate: nullable(rate), dismissal_rate: nullable(rate) })),
    ctas: arr(obj({ cta: str, clicks: int })),
  })),
  SiteAnalytics: envelope(obj({
    site: str,
    period,
    previous_period: period,
    events: int,
    previous_events: int,
    events_change_pct: change,
    sessions: int,
    users: int,
    daily: arr(obj({ date: bucket, events: int })),
    properties: arr(obj({ name: str, events: int, values: arr(obj({ value: str, events: int })) })),
  })),
  CustomEvents: envelope(obj({
    period,
    previous_period: period,
    dates: arr(bucket),
    total: int,
    previous_total: int,
    change_pct: change,
    daily: counts,
    types: arr(obj({ type: str, events: int, previous: int, change_pct: change, daily: counts })),
  })),
  LatestActivity: paged(activityRow),
};

/** The helpers of `openapi.ts` this file builds its operations with. */
export interface PathHelpers {
  op(summary: string, parameters: P[], ok: P): P;
  json(schema: string, description?: string): P;
  path(name: string, description: string): P;
  range: P[];
  env: P;
  cursor: P;
  limit(def: number, max: number): P;
}

export function dashboardPaths(h: PathHelpers): Record<string, P> {
  return {
    '/analytics/environments': {
      get: h.op('Events of each environment in the range, and the busiest one (env is ignored)', h.range, h.json('Environments')),
    },
    '/analytics/live': { get: h.op('Events of the last 5 minutes and per minute over the last 30 (per-minute counters)', [h.env], h.json('Live')) },
    '/analytics/entities': {
      get: h.op(
        'Every journey, tour, content item and pixel site with traffic, rate, one value per day and the change against the previous period, busiest first',
        h.range,
        h.json('Entities'),
      ),
    },
    '/analytics/content/{contentId}': {
      get: h.op('Views, dismissals, CTA clicks and click-through rate of a content item, per day and per CTA; 404 when unknown', [h.path('contentId', 'content id'), ...h.range], h.json('ContentAnalytics')),
    },
    '/analytics/sites/{site}': {
      get: h.op('Events, sessions, users and top properties of a pixel site; 404 when unknown', [h.path('site', 'pixel site (si)'), ...h.range], h.json('SiteAnalytics')),
    },
    '/analytics/custom-events': { get: h.op('Custom events by type with their daily trend', h.range, h.json('CustomEvents')) },
    '/activity/latest': { get: h.op("The environment's newest activity across every journey, tour and content", [h.env, h.cursor, h.limit(50, 500)], h.json('LatestActivity')) },
  };
}
