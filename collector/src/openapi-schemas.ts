/**
 * JSON Schemas (2020-12, as OpenAPI 3.1 uses them) of every analytics answer. Objects are closed
 * (`additionalProperties: false`) so the tests that check real answers against them catch any
 * field the document does not describe.
 */
type Schema = Record<string, unknown>;

const int: Schema = { type: 'integer', minimum: 0 };
const num: Schema = { type: 'number' };
const str: Schema = { type: 'string' };
const date: Schema = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };
const dateTime: Schema = { type: 'string', format: 'date-time' };
/** A day of a range, or an hour's start instant of a rolling range (`last_hours`). */
const bucket: Schema = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:00:00\\.000Z)?$' };
const rate: Schema = { type: 'number', minimum: 0, description: 'percentage with one decimal' };
const nullable = (s: Schema): Schema => ({ anyOf: [s, { type: 'null' }] });
const obj = (properties: Record<string, Schema>, required = Object.keys(properties)): Schema => ({
  type: 'object', additionalProperties: false, required, properties,
});
const arr = (items: Schema): Schema => ({ type: 'array', items });
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const envelope = (data: Schema): Schema => obj({ data });
const paged = (item: Schema): Schema => obj({ data: arr(item), next_cursor: nullable(str) });

const period = obj({ from: date, to: date });
const tourTotals = obj({ starts: int, completions: int, dismissals: int, completion_rate: rate });
const activityRow = obj({
  ts: dateTime, event_id: str, type: str, client_id: str, session_id: str, content_kind: str, content_id: str,
  detail: { type: 'object' },
});
const tourSummary = {
  tour_id: str, starts: int, completions: int, dismissals: int, completion_rate: rate, dropoff_rate: rate,
};
const quantiles = obj({ median: nullable(num), p90: nullable(num) });
const brokenSelector = obj({ selector: str, content_kind: str, content_id: str, failures: int });

export const schemas: Record<string, Schema> = {
  Error: obj({ error: obj({ code: str, message: str }, ['code', 'message']) }),
  TourDaily: envelope(obj({
    tour_id: str,
    period,
    totals: tourTotals,
    daily: arr(obj({ date: bucket, starts: int, completions: int, dismissals: int, completion_rate: rate })),
  })),
  TourHourly: envelope(obj({
    tour_id: str,
    date,
    granularity: { const: 'hourly' },
    hours: { ...arr(obj({ hour: { type: 'string', pattern: '^([01]\\d|2[0-3])$' }, starts: int, completions: int, dismissals: int })), minItems: 24, maxItems: 24 },
  })),
  TourFunnel: envelope(obj({
    tour_id: str,
    period,
    started_users: { ...int, description: 'tour attempts (a user\'s run of the tour in one session) that started in the period' },
    steps: arr(obj({
      step_index: int, step_id: str, users: int, pct_of_starts: rate, drop_from_previous: num, largest_drop: { type: 'boolean' },
    })),
    largest_drop_step: nullable(int),
  })),
  TourDetail: envelope(obj({
    tour_id: str,
    period,
    totals: tourTotals,
    users: { ...obj({ completed: int, in_progress: int, dismissed: int, total: int }), description: 'attempts that started in the period, by their latest lifecycle event' },
    recent_activity: arr(activityRow),
  })),
  Overview: envelope(obj({
    period,
    previous_period: period,
    active_tours: int,
    active_content_items: int,
    starts: int,
    completions: int,
    completion_rate: rate,
    previous_completion_rate: rate,
    completion_rate_trend: nullable(num),
    min_starts: int,
    top_tour: nullable(obj(tourSummary)),
    highest_dropoff_tour: nullable(obj({ ...tourSummary, largest_drop_step: nullable(int) })),
    tours: arr(obj(tourSummary)),
  })),
  SelectorHealth: envelope(obj({ period, total_failures: int, broken_selectors: arr(brokenSelector) })),
  SelectorDrilldown: envelope(obj({
    content_kind: str,
    content_id: str,
    period,
    total_failures: int,
    selectors: arr(brokenSelector),
    events: arr(obj({
      id: str, ts: dateTime, selector: str, step_id: nullable(str), waited_ms: nullable(num), url: nullable(str), session_id: str, client_id: str,
    })),
  })),
  JourneyAnalytics: envelope(obj({
    journey_key: str,
    period,
    sessions: { ...int, description: 'sessions that started in the period (each counted on the day of its first event, in tz)' },
    completed_sessions: { ...int, description: 'of those, the sessions whose first session_end says completed' },
    completion_rate: rate,
    time_to_complete_ms: { ...quantiles, description: 'median / p90 of durationMs of the completed sessions: DDSketch estimates within 1 % (see estimates)' },
    step_order: { type: 'string', enum: ['configured', 'first_seen'], description: 'configured: orgs[].journeys[].steps; first_seen: by mean position of each step in its sessions' },
    steps: arr(obj({
      step_key: str,
      sessions: int,
      pct_of_sessions: rate,
      dropoffs: { ...int, description: 'sessions that did not complete and whose latest step view was this step' },
      dropoff_rate: rate,
      largest_dropoff: { type: 'boolean', description: 'the step with the most drop-offs (first in journey order on a tie)' },
    })),
    fields: arr(obj({
      field_key: str, focus_count: int, median_engaged_ms: nullable(num), p90_engaged_ms: nullable(num), validation_errors: int,
      errors_by_type: arr(obj({ error_type: str, count: int })),
    })),
    devices: arr(obj({ device_class: str, sessions: int })),
    languages: arr(obj({ language: str, sessions: int })),
    daily: arr(obj({ date: bucket, sessions: int, completed_sessions: int, completion_rate: nullable(rate), time_to_complete_ms: quantiles })),
    estimates: { ...arr(str), description: 'JSON paths of the values that are sketch estimates; every other value is exact' },
  })),
  ActivityPage: paged(activityRow),
  ExportRow: obj({
    id: str, ts: dateTime, type: str, env: str, content_kind: str, content_id: str, session_id: str, client_id: str,
    url: nullable(str), data: { type: 'object' },
  }),
  UserDeletion: envelope(obj({
    client_id: str,
    deleted: obj({ raw_events: int, activity: int, pixel_records: int, counters: int }),
  })),
  AuditPage: paged(obj({ id: int, ts: dateTime, actor: str, action: str, target: str, detail: { type: 'object' } })),
  PixelRecord: envelope({
    type: 'object',
    description: 'unixtimestamp, the merged properties (later events win), then eid, sid, uid and si',
    required: ['unixtimestamp', 'eid', 'sid', 'uid', 'si'],
    properties: { unixtimestamp: int, eid: str, sid: str, uid: str, si: str },
    additionalProperties: str,
  }),
  DeadLetterPage: paged(obj({
    id: int, event_id: str, type: str, env: str, source: { type: 'string', enum: ['sdk', 'pixel'] }, ts: dateTime, received_at: dateTime,
    session_id: str, client_id: str, error: obj({ code: str, message: str }), failed_at: dateTime, attempts: int,
  })),
  DeadLetterRetryRequest: {
    type: 'object',
    additionalProperties: false,
    properties: {
      ids: { type: 'array', items: { type: 'integer', minimum: 1 }, minItems: 1, maxItems: 10000, description: 'only these dead letters (default: all of the org)' },
      limit: { type: 'integer', minimum: 1, maximum: 10000, default: 10000, description: 'at most this many, oldest first' },
    },
  },
  DeadLetterRetry: envelope(obj({ retried: int, applied: int, failed: int, gone: int, remaining: int })),
};

// the building blocks, for the schemas of the dashboard's endpoints (`openapi-dashboard.ts`)
export { activityRow, arr, bucket, date, dateTime, envelope, int, nullable, num, obj, paged, period, rate, ref, str };
