/**
 * The OpenAPI 3.1 document of the analytics admin API, served at `GET /v1/admin/openapi.json`
 * (and `/v1/openapi.json`). Tests validate real answers against its response schemas.
 */
import { dashboardPaths, dashboardSchemas } from './openapi-dashboard';
import { ref, schemas } from './openapi-schemas';

type P = Record<string, unknown>;

const q = (name: string, description: string, schema: P = { type: 'string' }, required = false): P => ({ name, in: 'query', required, description, schema });
const path = (name: string, description: string): P => ({ name, in: 'path', required: true, description, schema: { type: 'string', pattern: '^[\\w.:@#-]{1,128}$' } });

const env = q('env', 'environment (the SDK\'s data-env); analytics never mix them', { type: 'string', enum: ['prod', 'staging', 'dev'], default: 'prod' });
const tz = q('tz', 'IANA time zone for day boundaries (default UTC)', { type: 'string', default: 'UTC' });
const dateFrom = q('date_from', 'first day, inclusive (default: 29 days before date_to)', { type: 'string', format: 'date' });
const dateTo = q('date_to', 'last day, inclusive (default: today)', { type: 'string', format: 'date' });
const lastHours = q('last_hours', 'instead of date_from/date_to: the N hours ending now, one point per UTC hour (the current hour and the N - 1 before it); daily rows are then hours, each `date` its start instant', { type: 'integer', minimum: 1, maximum: 168 });
const range = [env, dateFrom, dateTo, tz, lastHours];
const cursor = q('cursor', 'next_cursor of the previous page');
const limit = (def: number, max: number) => q('limit', `page size (default ${def})`, { type: 'integer', minimum: 1, maximum: max, default: def });
const kind = { name: 'kind', in: 'path', required: true, schema: { type: 'string', enum: ['tour', 'content', 'journey', 'site', 'none'] } };

const json = (schema: string, description = 'OK'): P => ({ description, content: { 'application/json': { schema: ref(schema) } } });
const errors: P = Object.fromEntries(
  [
    ['400', 'invalid parameter'],
    ['401', 'missing or invalid API key or JWT'],
    ['403', 'the key or token does not grant this org'],
    ['404', 'unknown route, or a journey, tour, content item or pixel site the org has never seen'],
    ['503', 'store unavailable (Retry-After)'],
  ].map(([code, description]) => [code, json('Error', description)]),
);
const op = (summary: string, parameters: P[], ok: P): P => ({ summary, parameters, responses: { '200': ok, ...errors }, security: [{ apiKey: [] }, { apiKey: [], bearer: [] }] });
/** A pixel sid or uid: any 1-128 characters the stores can hold (no NUL, no lone surrogate). */
const pixelId = (name: string, description: string): P => ({ name, in: 'path', required: true, description, schema: { type: 'string', minLength: 1, maxLength: 128 } });

/** The document (a fresh object each call, so callers may not mutate a shared one). */
export function openApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Waymark collector admin API',
      version: '1.0.0',
      description: 'Analytics, activity feed, export, deletion, pixel records, dead letters and audit. Errors: `{ "error": { "code", "message" } }`.',
    },
    servers: [{ url: '/v1/admin' }],
    components: {
      schemas: { ...schemas, ...dashboardSchemas },
      securitySchemes: {
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: "the org's secret API key" },
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'required in addition when the org configures a JWT secret or JWKS' },
      },
    },
    paths: {
      '/analytics/tours/{tourId}': {
        get: {
          ...op('Tour counters: daily over a range, or hourly for one day', [
            path('tourId', 'tour id'), ...range,
            q('granularity', 'daily (default, with date_from/date_to) or hourly (with date)', { type: 'string', enum: ['daily', 'hourly'] }),
            q('date', 'the day of the hourly view', { type: 'string', format: 'date' }),
          ], {
            description: 'TourDaily, or TourHourly with granularity=hourly',
            content: { 'application/json': { schema: { oneOf: [ref('TourDaily'), ref('TourHourly')] } } },
          }),
        },
      },
      '/analytics/tours/{tourId}/funnel': { get: op('Step funnel with the largest drop flagged', [path('tourId', 'tour id'), ...range], json('TourFunnel')) },
      '/analytics/tours/{tourId}/detail': {
        get: op('Totals, users by status and recent activity', [path('tourId', 'tour id'), ...range, q('recent', 'activity entries (default 20)', { type: 'integer', minimum: 1, maximum: 200 })], json('TourDetail')),
      },
      '/analytics/overview': {
        get: op('Active tours and content, combined completion rate and trend, best and weakest tour', [...range, q('min_starts', 'starts a tour needs to be ranked (default 10)', { type: 'integer', minimum: 0 })], json('Overview')),
      },
      '/analytics/selectors': { get: op('Targeting failures and broken selectors ranked', [...range, limit(50, 500)], json('SelectorHealth')) },
      '/analytics/selectors/{kind}/{contentId}': {
        get: op('Failures of one content item with its failure events', [kind, path('contentId', 'content id'), ...range, limit(100, 1000)], json('SelectorDrilldown')),
      },
      '/analytics/journeys/{journeyKey}': {
        get: op('Journey sessions, completion and time to complete (with a daily trend), step reach and drop-off in journey order, field friction, devices and languages', [path('journeyKey', 'journey key'), ...range], json('JourneyAnalytics')),
      },
      '/activity/users/{clientId}': { get: op("A user's activity, newest first", [path('clientId', 'clientId / uid'), env, cursor, limit(50, 500)], json('ActivityPage')) },
      '/activity/sessions/{sessionId}': { get: op("A session's activity, newest first", [path('sessionId', 'session id'), env, cursor, limit(50, 500)], json('ActivityPage')) },
      '/activity/content/{kind}/{contentId}': {
        get: op("A content item's activity, newest first", [kind, path('contentId', 'content id'), env, cursor, limit(50, 500)], json('ActivityPage')),
      },
      '/export': {
        get: op('Raw events of a range, streamed', [...range, q('format', 'ndjson (default) or csv', { type: 'string', enum: ['ndjson', 'csv'] })], {
          description: 'One ExportRow per NDJSON line, or CSV with the columns id,ts,type,env,content_id,session_id,client_id,url,data (cells starting with = + - @ tab CR are prefixed with \')',
          content: { 'application/x-ndjson': { schema: ref('ExportRow') }, 'text/csv': { schema: { type: 'string' } } },
        }),
      },
      '/users/{clientId}': {
        delete: {
          ...op("Erase a user's raw events, activity and pixel records; rollups corrected", [path('clientId', 'clientId / uid')], json('UserDeletion')),
          description:
            'The user is remembered (a tombstone) for the raw-event retention: events of this clientId or pixel uid that arrive later ' +
            '(an SDK retrying its queue, a replayed pixel URL) are acknowledged as usual (204 for SDK batches, the normal pixel answer) and discarded; ' +
            '`waymark_events_erased_total` counts them. Erasing again is idempotent (zeros).',
        },
      },
      '/audit': { get: op('Admin actions: configuration changes, exports, deletions, dead-letter retries', [cursor, limit(50, 500)], json('AuditPage')) },
      '/pixel/sessions/{sid}': { get: op('A pixel session record: the merged properties of its events', [pixelId('sid', 'session id (sid)')], json('PixelRecord')) },
      '/pixel/users/{uid}': { get: op('A pixel user record: the merged properties of its events', [pixelId('uid', 'user id (uid)')], json('PixelRecord')) },
      '/dead-letters': {
        get: {
          ...op('Events the processor could not apply, newest first, with the error', [cursor, limit(50, 500)], json('DeadLetterPage')),
          description: 'An event that fails to apply for a reason retrying cannot fix is set aside here (not counted) while everything else proceeds; `/health` reports it and `waymark_dead_letters` counts them.',
        },
      },
      '/dead-letters/retry': {
        post: {
          ...op('Apply dead letters again after a fix; those that still fail stay (attempts + 1)', [], json('DeadLetterRetry')),
          requestBody: {
            required: false,
            content: { 'application/json': { schema: ref('DeadLetterRetryRequest') } },
          },
        },
      },
      '/openapi.json': {
        get: {
          summary: 'This document (no key needed)',
          security: [],
          responses: { '200': { description: 'OpenAPI 3.1', content: { 'application/json': { schema: { type: 'object' } } } } },
        },
      },
      ...dashboardPaths({ op, json, path, range, env, cursor, limit }),
    },
  };
}
