/**
 * Hostile inputs for the ingest fuzz, generated from a seed (a failure replays exactly): valid
 * batches of every event type carrying unusual but storable strings, and the same batches broken
 * in every way a client or an attacker can break them (a NUL or a lone surrogate in each string
 * field in turn, wrong types, truncated JSON, huge and deeply nested values, prototype keys, bad
 * gzip, far timestamps, duplicate ids), pixel query strings and admin paths and parameters with
 * the same strings. Valid inputs never depend on their order (ids unique per input, copies exact),
 * so the stores of two collectors fed the same inputs concurrently must end up equal.
 */
import { gzipSync, deflateSync } from 'node:zlib';
import { FORMAT_FIELDS, SAMPLE_TYPES, sampleEvent } from '../../../packages/core/test/fixtures/sample-events';

export interface FuzzInput {
  /** what the generator meant (for the report and per-kind expectations) */
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** for `nul` inputs: the event field that carries the bad string (`events[2].stepId`) */
  field?: string;
}

/** mulberry32: a tiny seeded PRNG. */
export function prng(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Storable but unusual: every store must keep them unchanged. */
export const ODD = ['😀', '中文', 'مرحبا', '\uFFFF', '\u{10FFFF}', '\u202Eevil', 'é', '__proto__', 'constructor', 'toString', "'; DROP TABLE x;--", '%00', '\\u0000', '<script>', ' ', '\uFFFD'];
/** Not storable: refused everywhere. */
export const BAD = ['\u0000', '\uD800', '\uDFFF', 'a\uDBFFb', '\uDC00\uD800', 'x\u0000y'];
/** The same as raw URL bytes: a NUL, and a lone surrogate's WTF-8 bytes (not UTF-8), then junk escapes. */
const BAD_URL = ['%00', 'a%00b', '%ED%A0%80', '%ED%BF%BF', '%C0%80', '%zz', '%', '%E0%A4%A'];

export const KNOWN_TOUR = 'fz_known_tour';
/** A batch sent before the fuzz (and resent inside it): its counters must come out exactly once. */
export function knownBatch(): object {
  const base = { orgKey: 'test-org', journeyKey: undefined, sessionId: 'fz_known_s', clientId: 'fz_known_c', ts: '2025-05-02T08:00:00.000Z' };
  return {
    schemaVersion: 1,
    context: { orgKey: 'test-org' },
    events: [
      sampleEvent('TourStarted', { ...base, id: 'fz_known_1', tourId: KNOWN_TOUR }),
      sampleEvent('StepViewed', { ...base, id: 'fz_known_2', tourId: KNOWN_TOUR, stepId: 'k1', stepIndex: 0 }),
      sampleEvent('TourStarted', { ...base, id: 'fz_known_3', tourId: KNOWN_TOUR, clientId: 'fz_known_d' }),
      sampleEvent('TourCompleted', { ...base, id: 'fz_known_4', tourId: KNOWN_TOUR }),
    ],
  };
}

/** Every (type, string field) of the samples, the props and the context: the NUL mutation visits each in turn. */
function stringFields(): { type: string; field: string }[] {
  const out: { type: string; field: string }[] = [];
  for (const type of SAMPLE_TYPES) {
    for (const [field, v] of Object.entries(sampleEvent(type))) if (typeof v === 'string' && field !== 'orgKey') out.push({ type, field });
    out.push({ type, field: 'props.plan' }, { type, field: 'props#name' });
  }
  for (const field of ['orgKey', 'journeyKey', 'language']) out.push({ type: 'context', field });
  return out;
}
export const STRING_FIELDS = stringFields();

const TIMESTAMPS = ['2025-05-02T09:30:00.000Z', '2025-05-02T23:59:59.999+14:00', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z', '1970-01-01T00:00:00Z', '2025-05-02T09:30:00-12:00'];
const BAD_TIMESTAMPS = ['+275760-09-13T00:00:00.000Z', '10000-01-01T00:00:00Z', '2025-13-01T00:00:00Z', '2025-05-02', '1746178200000', 'yesterday', '2025-05-02T09:30:00'];
const PIXEL_NAMES = ['page', 'title', '__proto__', 'constructor', 'hasOwnProperty', 'a.b', 'x[]', '%41'];

export function generateInputs(count: number, seed: number): FuzzInput[] {
  const rand = prng(seed);
  const int = (n: number) => Math.floor(rand() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const odd = () => pick(ODD) + (rand() < 0.5 ? String(int(1000)) : '');
  const valid: Buffer[] = []; // bodies of valid batches, for exact resends
  let nulField = 0;
  let badParam = 0;

  const json = (path: string, body: unknown, kind: string, extra: Partial<FuzzInput> = {}): FuzzInput => ({
    kind, method: 'POST', path, headers: { 'content-type': pick(['application/json', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'application/octet-stream']) },
    body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)), ...extra,
  });

  /** A valid batch of input `i`: unique ids, every event type, unusual storable strings. */
  const validBatch = (i: number) => {
    const journey = rand() < 0.5;
    const events = Array.from({ length: 1 + int(8) }, (_, k) => {
      const type = rand() < 0.1 ? pick(['constructor', 'toString', 'hasOwnProperty', 'valueOf', 'plan_upgraded']) : pick(SAMPLE_TYPES);
      const fields: Record<string, unknown> = {
        id: `f${i}_${k}${rand() < 0.3 ? odd() : ''}`.slice(0, 64),
        orgKey: 'test-org',
        journeyKey: journey ? 'test-journey' : undefined,
        sessionId: `s${i % 97}${rand() < 0.2 ? odd() : ''}`,
        clientId: `c${i % 89}`,
        ts: pick(TIMESTAMPS),
      };
      if (rand() < 0.3) fields.props = { [pick(['plan', '__proto__', 'constructor', 'note', '😀'])]: odd(), n: int(100) };
      const e = sampleEvent(type, fields);
      // an unusual value in one of its free-text fields
      const free = Object.keys(e).filter((f) => typeof e[f] === 'string' && !FORMAT_FIELDS.has(f) && !['id', 'orgKey', 'journeyKey', 'sessionId', 'clientId'].includes(f));
      if (free.length && rand() < 0.6) e[pick(free)] = odd();
      return e;
    });
    return { schemaVersion: 1, context: { orgKey: 'test-org', ...(journey ? { journeyKey: 'test-journey' } : {}), env: pick(['prod', 'staging', 'dev']), language: pick(['en-US', 'fr', '中文']) }, events };
  };
  const ingestPath = () => pick(['/api/ingest', '/v1/sdk/events']);

  const sdk = (i: number): FuzzInput => {
    const b = validBatch(i) as { context: Record<string, unknown>; events: Record<string, unknown>[] } & Record<string, unknown>;
    const e = b.events[int(b.events.length)]!;
    const r = rand();
    if (r < 0.22) {
      const body = Buffer.from(JSON.stringify(b));
      valid.push(body);
      return { ...json(ingestPath(), '', 'valid'), body };
    }
    if (r < 0.27 && valid.length) return { ...json(ingestPath(), '', 'resend'), body: pick(valid) }; // exact copy: a retry
    if (r < 0.29) return json(ingestPath(), knownBatch(), 'resend_known');
    if (r < 0.5) {
      // a NUL or a lone surrogate in the next string field of the list
      const { type, field } = STRING_FIELDS[nulField++ % STRING_FIELDS.length]!;
      const bad = BAD[nulField % BAD.length]!;
      if (type === 'context') {
        b.context[field] = `${String(b.context[field] ?? 'k')}${bad}`;
        return json(ingestPath(), b, 'nul', { field: `context.${field}` });
      }
      const idx = int(b.events.length);
      const ev = sampleEvent(type, { id: `f${i}_nul`, orgKey: 'test-org', journeyKey: undefined, sessionId: `s${i}`, clientId: `c${i}` });
      if (field === 'props.plan') ev.props = { plan: `p${bad}` };
      else if (field === 'props#name') ev.props = { [`n${bad}`]: 1 };
      else ev[field] = `${String(ev[field]).slice(0, 5)}${bad}`;
      b.events[idx] = ev;
      const path = field === 'props#name' ? `events[${idx}].props.n${bad}` : `events[${idx}].${field}`;
      return json(ingestPath(), b, 'nul', { field: path });
    }
    if (r < 0.56) {
      // wrong types anywhere
      const target = pick(['event', 'context', 'envelope']);
      const wrong = pick([null, 1, -1.5, true, [], {}, [1], { a: 1 }, '', 1e308, -0]);
      if (target === 'event') e[pick(Object.keys(e))] = wrong;
      else if (target === 'context') b.context[pick(['orgKey', 'journeyKey', 'env', 'language', 'deviceClass', 'dropped'])] = wrong;
      else (b as Record<string, unknown>)[pick(['schemaVersion', 'context', 'events'])] = wrong;
      return json(ingestPath(), b, 'wrong_type');
    }
    if (r < 0.61) {
      const text = JSON.stringify(b);
      return json(ingestPath(), text.slice(0, 1 + int(text.length - 1)), 'truncated');
    }
    if (r < 0.65) {
      // deeply nested values, as raw JSON text (JSON.stringify itself would overflow)
      const depth = pick([100, 1000, 10_000, 100_000]);
      const nested = rand() < 0.5 ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
      const where = pick(['"props":', '"context":', '"stepId":', '"extra":']);
      const text = JSON.stringify({ ...b, events: [{ ...e, props: '@@' }] }).replace('"props":"@@"', `${where}${nested}`);
      return json(ingestPath(), text, 'deep');
    }
    if (r < 0.69) {
      // huge values (the body stays under 1 MB: the oversized bodies are sent apart)
      if (rand() < 0.3) {
        b.events = Array.from({ length: pick([501, 2000]) }, () => e);
        return json(ingestPath(), b, 'too_many_events');
      }
      const len = pick([65, 129, 1025, 4097, 65_536]);
      e[pick(['id', 'url', 'title', 'stepKey', 'selector', 'tourId', 'sessionId', 'referrer', 'embedVersion'])] = pick(['x', '中', '😀']).repeat(len);
      return json(ingestPath(), b, 'huge');
    }
    if (r < 0.74) {
      // prototype keys at every level (ignored or refused, never polluting anything)
      const p = { polluted: 'yes', _tag: 'step_view', orgKey: 'other' };
      const text = JSON.stringify(b)
        .replace('{"schemaVersion"', `{"__proto__":${JSON.stringify(p)},"schemaVersion"`)
        .replace('"context":{', `"context":{"__proto__":${JSON.stringify(p)},"constructor":{"prototype":{"x":1}},`)
        .replace('"events":[{', `"events":[{"__proto__":${JSON.stringify(p)},`);
      return json(ingestPath(), rand() < 0.5 ? text : text.replace('"events":[', '"events":{"__proto__":[]},"x":['), 'proto');
    }
    if (r < 0.8) {
      // compression: good, truncated, garbage, unknown
      const raw = Buffer.from(JSON.stringify(b));
      const enc = pick(['gzip', 'deflate', 'gzip-truncated', 'gzip-garbage', 'br', 'x-unknown', 'gzip, gzip']);
      let body = raw;
      if (enc === 'gzip') body = gzipSync(raw);
      else if (enc === 'deflate') body = deflateSync(raw);
      else if (enc === 'gzip-truncated') body = gzipSync(raw).subarray(0, 12 + int(20));
      else if (enc === 'gzip-garbage') body = Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), Buffer.from(Array.from({ length: 64 }, () => int(256)))]);
      if (enc === 'gzip' || enc === 'deflate') valid.push(raw); // a valid batch in disguise
      return { kind: `encoding_${enc}`, method: 'POST', path: ingestPath(), headers: { 'content-type': 'application/json', 'content-encoding': enc.replace(/-(truncated|garbage)$/, '') }, body };
    }
    if (r < 0.85) {
      e.ts = pick(BAD_TIMESTAMPS);
      return json(ingestPath(), b, 'bad_timestamp');
    }
    if (r < 0.9) {
      // duplicate ids inside one batch (the first copy wins on both engines), or of another org
      if (rand() < 0.7) {
        b.events.push({ ...e, ...(e._tag === 'session_end' ? {} : { url: 'https://other.example/' }) });
        const body = Buffer.from(JSON.stringify(b));
        valid.push(body);
        return { ...json(ingestPath(), '', 'duplicate_ids'), body };
      }
      e.orgKey = 'your-org-slug';
      return json(ingestPath(), b, 'foreign_org');
    }
    if (r < 0.94) {
      b.context.orgKey = pick(['nope', 'your-org-slug', `x${pick(BAD)}`]);
      if (rand() < 0.5) b.context.journeyKey = pick(['nope', 'grant-application', `j${pick(BAD)}`]);
      return json(ingestPath(), b, 'unknown_org');
    }
    return { kind: 'junk_bytes', method: 'POST', path: ingestPath(), headers: { 'content-type': pick(['application/json', 'text/plain']) }, body: Buffer.from(Array.from({ length: int(2048) }, () => int(256))) };
  };

  const pixel = (i: number): FuzzInput => {
    const r = rand();
    const name = pick(PIXEL_NAMES);
    const path = pick(['/log', '/pixel.gif']);
    if (r < 0.45) {
      // valid: unique sid and uid, unusual names and values
      const q = new URLSearchParams({ si: 'test.site', sid: `fps${i}${rand() < 0.3 ? odd() : ''}`, uid: `fpu${i}` });
      q.append(name, odd());
      if (rand() < 0.5) q.append('title', odd());
      if (rand() < 0.3 && path === '/log') return { kind: 'pixel_form', method: 'POST', path: '/log', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.from(q.toString()) };
      return { kind: 'pixel_valid', method: 'GET', path: `${path}?${q}`, headers: {} };
    }
    if (r < 0.8) {
      const bad = BAD_URL[badParam++ % BAD_URL.length]!;
      const where = pick(['sid', 'uid', 'value', 'name', 'si']);
      const q =
        where === 'name' ? `si=test.site&sid=fpb${i}&${bad}=1` : where === 'value' ? `si=test.site&sid=fpb${i}&uid=fpb${i}&${name}=${bad}` : where === 'si' ? `si=${bad}&a=1` : `si=test.site&${where}=${bad}`;
      return { kind: `pixel_param_${where}`, method: pick(['GET', 'POST']), path: `${path}?${q}`, headers: {} };
    }
    const q = pick([`message=${encodeURIComponent(odd())}`, 'si=nope.site&a=1', 'si=test.site&bad%20name=1', `si=test.site&v=${'x'.repeat(9000)}`, `si=test.site&sid=${'s'.repeat(200)}`,
      `si=test.site&${Array.from({ length: 120 }, (_, k) => `p${k}=1`).join('&')}`, 'si[]=test.site', 'si=&sid=1']);
    return { kind: 'pixel_invalid', method: 'GET', path: `${path}?${q}`, headers: {} };
  };

  const admin = (): FuzzInput => {
    const bad = pick([...BAD_URL, encodeURIComponent(odd()), 'ok_id']);
    const cursor = Buffer.from(JSON.stringify(pick([{ ts: 1, eventId: pick(BAD) }, { ts: 'x', eventId: 'e' }, { __proto__: { ts: 1 } }, 5, [1]]))).toString('base64url');
    const path = pick([
      `/v1/admin/pixel/sessions/${bad}`,
      `/v1/admin/pixel/users/${bad}`,
      `/v1/admin/activity/users/${bad}?limit=${pick(['5', '-1', '1e3', bad])}`,
      `/v1/admin/activity/sessions/c1?cursor=${pick([cursor, bad])}`,
      `/v1/admin/activity/content/${pick(['tour', 'planet', bad])}/${bad}`,
      `/v1/admin/analytics/tours/${bad}?date_from=${pick(['2025-05-01', bad])}&tz=${pick(['UTC', 'Europe/Paris', bad])}`,
      `/v1/admin/analytics/journeys/test-journey?env=${pick(['prod', 'staging', bad])}&date_from=2025-05-01&date_to=2025-05-03`,
      `/v1/admin/analytics/selectors?limit=${pick(['1', bad])}&date_from=2025-05-01&date_to=2025-05-03`,
      `/v1/admin/analytics/overview?min_starts=${pick(['0', bad])}&date_from=2025-05-01&date_to=2025-05-03`,
      `/v1/admin/dead-letters?cursor=${pick([cursor, bad])}`,
      `/v1/admin/audit?cursor=${bad}`,
      `/v1/admin/${bad}`,
    ]);
    return { kind: 'admin_param', method: 'GET', path, headers: { 'x-api-key': 'sk_test_0123456789abcdef' } };
  };

  const other = (): FuzzInput => {
    const r = rand();
    if (r < 0.4) {
      // PUT /api/journeys: always with a bad origin (a valid one would change later answers)
      const body = { allowedOrigins: [`https://a${pick(BAD)}.example`] };
      return { kind: 'journey_put', method: 'PUT', path: pick(['/api/journeys/test-journey', `/api/journeys/${pick(BAD_URL)}`]), headers: { 'x-api-key': 'sk_test_0123456789abcdef', 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(body)) };
    }
    return {
      kind: 'junk_route',
      method: pick(['GET', 'PATCH', 'PUT', 'DELETE']),
      path: pick(['/api/ingest', '/v1/sdk/events', '/%', `/${pick(BAD_URL)}`, '/embed/v2.js', '/v1/admin/users/x', '/health?x=%00']),
      headers: rand() < 0.5 ? { 'x-api-key': 'junk' } : {},
      body: rand() < 0.5 ? Buffer.from(Array.from({ length: int(128) }, () => int(256))) : undefined,
    };
  };

  return Array.from({ length: count }, (_, i) => {
    const r = rand();
    return r < 0.72 ? sdk(i) : r < 0.86 ? pixel(i) : r < 0.97 ? admin() : other();
  });
}

/** Bodies over the 1 MB limit (plain and gzip bombs), answered 413: sent one at a time. */
export function oversizedInputs(count: number, seed: number): FuzzInput[] {
  const rand = prng(seed);
  return Array.from({ length: count }, (_, i): FuzzInput =>
    i % 2
      ? { kind: 'oversized', method: 'POST', path: '/api/ingest', headers: { 'content-type': 'application/json' }, body: Buffer.alloc(1024 * 1024 + 1 + Math.floor(rand() * 1000), 0x20) }
      : { kind: 'oversized_gzip', method: 'POST', path: '/v1/sdk/events', headers: { 'content-type': 'text/plain', 'content-encoding': 'gzip' }, body: gzipSync(Buffer.alloc(1024 * 1024 + 1 + Math.floor(rand() * 100_000), 0x20)) },
  );
}
