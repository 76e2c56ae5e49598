// waymark-test-store: both-engines
/**
 * Fuzz, on SQLite and PostgreSQL side by side: ≥ 10,000 seeded hostile inputs (`inputs.ts`: valid
 * batches with unusual strings, the same broken in every way, pixel and admin query strings and
 * paths, bad gzip, far timestamps, duplicate ids), each sent to a collector of each engine. Every
 * answer is a 2xx or a 4xx in the JSON error format, never a 5xx, and both engines give the same
 * answer to every input; a NUL or a lone surrogate in any string field is a 400 naming it. After
 * it: a known batch sent before the fuzz (and resent during it) is counted exactly once, the
 * processor's backlog is drained with no dead letter, nothing stored holds an unstorable string,
 * and both engines hold the same raw events, counters and pixel records.
 *
 * `WAYMARK_FUZZ_COUNT` and `WAYMARK_FUZZ_SEED` change the run (a failure replays with its seed).
 */
import { request } from 'node:http';
import { gunzipSync, inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStorable } from '@waymark/core/schema';
import type { PostgresStore } from '../../src/store/postgres/index';
import type { SqliteStore } from '../../src/store/sqlite/index';
import { TEST_CONFIG } from '../../src/testing';
import { ENGINES, startEngineCollector } from '../helpers/engines';
import { generateInputs, knownBatch, KNOWN_TOUR, oversizedInputs, STRING_FIELDS, type FuzzInput } from './inputs';

const COUNT = Number(process.env.WAYMARK_FUZZ_COUNT ?? 10_000);
const SEED = Number(process.env.WAYMARK_FUZZ_SEED ?? 20261123);
// one clock for both collectors: pixel event times (and default date ranges) are then equal
const NOW = Date.UTC(2025, 4, 2, 12, 0, 0);

type C = Awaited<ReturnType<typeof startEngineCollector>>;
const collectors: C[] = [];

beforeAll(async () => {
  for (const engine of ENGINES) {
    const c = await startEngineCollector(engine, {
      // no rate limit may answer 429 to one engine and not the other: limits are not under test here
      config: { ...TEST_CONFIG, unknownOriginRateLimit: { requests: 1_000_000_000, perSeconds: 60 } },
      now: () => NOW,
    });
    collectors.push(c);
  }
}, 120_000);
afterAll(async () => {
  for (const c of collectors) await c.stop();
});

interface Answer {
  status: number;
  /** error code and message of a 4xx; content type of a 2xx */
  what: string;
}

/** One request on a connection of its own (no reuse: each answer belongs to its own request, whatever the server closes). */
function send(c: C, r: FuzzInput): Promise<Answer> {
  return new Promise((resolve) => {
    const req = request(`${c.url}${r.path}`, { method: r.method, headers: { ...r.headers, connection: 'close' }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        const body = Buffer.concat(chunks).toString('utf8');
        if (status < 400) return resolve({ status, what: String(res.headers['content-type'] ?? '') });
        try {
          const e = (JSON.parse(body) as { error: { code: string; message: string } }).error;
          resolve({ status, what: typeof e.code === 'string' && /^[a-z_]+$/.test(e.code) && typeof e.message === 'string' ? `${e.code}: ${e.message}` : `not the error format: ${body.slice(0, 200)}` });
        } catch {
          resolve({ status, what: `not JSON: ${body.slice(0, 200)}` });
        }
      });
    });
    req.on('error', (err) => resolve({ status: -1, what: err.message }));
    req.end(r.body);
  });
}

const post = async (c: C, path: string, body: unknown) => (await fetch(`${c.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).status;
const known = async (c: C) =>
  Object.fromEntries(
    (await c.store.readCounters({ orgKey: 'test-org', contentId: KNOWN_TOUR, granularity: 'day' })).filter((x) => x.dim === '').map((x) => [x.metric, x.value]),
  );

/** The event ids of an SDK input, as the collector parsed them. */
function idsOf(r: FuzzInput): string[] {
  const enc = r.headers['content-encoding'];
  const raw = enc === 'gzip' ? gunzipSync(r.body!) : enc === 'deflate' ? inflateSync(r.body!) : r.body!;
  return ((JSON.parse(raw.toString('utf8')) as { events: { id: string }[] }).events ?? []).map((e) => e.id);
}

/** Raw events without what each store assigns itself (seq, arrival, the generated pixel eid), in a canonical order. */
async function storedEvents(c: C) {
  const rows = [];
  for (let after = 0; ; ) {
    const page = await c.store.listEvents({ afterSeq: after, limit: 5000 });
    if (page.length === 0) break;
    after = page[page.length - 1]!.seq;
    for (const { seq: _s, receivedAt: _r, ...e } of page) {
      if (e.source !== 'pixel') rows.push(e);
      else {
        const j = JSON.parse(e.json) as Record<string, unknown>;
        const own = (v: unknown) => (v === j.eid ? '<eid>' : v);
        rows.push({ ...e, eventId: '<eid>', sessionId: own(e.sessionId), clientId: own(e.clientId), json: JSON.stringify({ ...j, eid: '<eid>', sid: own(j.sid), uid: own(j.uid) }) });
      }
    }
  }
  const key = (e: object) => JSON.stringify(e);
  return rows.sort((a, b) => (key(a) < key(b) ? -1 : 1));
}

/** Every pixel record, its generated ids normalised. */
async function pixelRecords(c: C) {
  const rows: Record<string, unknown>[] =
    c.engine === 'postgres'
      ? (await (c.store as PostgresStore).pool.query('SELECT org, kind, id, site, sid, uid, eid, unixtimestamp, props FROM pixel_records')).rows
      : ((c.store as SqliteStore).db.prepare('SELECT org, kind, id, site, sid, uid, eid, unixtimestamp, props FROM pixel_records').all() as Record<string, unknown>[]);
  return rows
    .map((r) => {
      const own = (v: unknown) => (v === r.eid ? '<eid>' : v);
      return JSON.stringify({ ...r, id: own(r.id), sid: own(r.sid), uid: own(r.uid), eid: '<eid>', unixtimestamp: Number(r.unixtimestamp) });
    })
    .sort();
}

describe(`fuzz on ${ENGINES.join(' and ')}`, () => {
  it(`${COUNT} hostile inputs: never a 5xx, the same answer on every engine, a known batch counted once, the backlog drained, the same stored results`, async () => {
    for (const c of collectors) {
      expect(await post(c, '/v1/sdk/events', knownBatch())).toBe(204);
      await c.drain();
    }
    const expected = { starts: 2, step_views: 1, completions: 1 };
    for (const c of collectors) expect(await known(c)).toEqual(expected);

    const inputs = generateInputs(COUNT, SEED);
    const answers: Answer[][] = new Array(inputs.length);
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 12 }, async () => {
        for (let i = next++; i < inputs.length; i = next++) {
          answers[i] = await Promise.all(collectors.map((c) => send(c, inputs[i]!)));
        }
      }),
    );
    // bodies over 1 MB one at a time (the server answers 413 from the headers or mid-gunzip and
    // closes; parallel uploads would only test the client)
    const oversized = oversizedInputs(20, SEED + 1);
    const big: Answer[][] = [];
    for (const r of oversized) {
      const row: Answer[] = [];
      for (const c of collectors) row.push(await send(c, r));
      big.push(row);
    }
    const seconds = (performance.now() - started) / 1000;

    const problems: string[] = [];
    const byKind = new Map<string, Map<number, number>>();
    const nulFields = new Set<string>();
    const all = [...inputs.map((r, i) => [r, answers[i]!] as const), ...oversized.map((r, i) => [r, big[i]!] as const)];
    for (const [r, got] of all) {
      const first = got[0]!;
      const counts = byKind.get(r.kind) ?? new Map<number, number>();
      counts.set(first.status, (counts.get(first.status) ?? 0) + 1);
      byKind.set(r.kind, counts);
      const where = `${r.kind} ${r.method} ${r.path.slice(0, 100)} ${JSON.stringify(r.headers)}`;
      for (const [k, a] of got.entries()) {
        if (a.status < 200 || a.status >= 500) problems.push(`${collectors[k]!.engine}: ${a.status} ${a.what} ← ${where}`);
        if (a.status >= 400 && !/^[a-z_]+: /.test(a.what)) problems.push(`${collectors[k]!.engine}: ${a.status} ${a.what} ← ${where}`);
      }
      for (const a of got.slice(1)) if (a.status !== first.status || a.what !== first.what) problems.push(`engines differ: ${JSON.stringify(got)} ← ${where}`);
      if (r.kind === 'nul') {
        const ok = r.field === 'context.journeyKey' ? first.status === 404 : first.status === 400 && first.what.startsWith(`invalid_batch: `) && first.what.includes(r.field!);
        if (!ok) problems.push(`a NUL or lone surrogate in ${r.field} answered ${first.status} ${first.what}`);
        else nulFields.add(r.field!.replace(/^events\[\d+\]\./, '').replace(/^props\.n.*$/s, 'props#name'));
      }
      if (r.kind.startsWith('oversized') && first.status !== 413) problems.push(`oversized answered ${first.status} ${first.what}`);
    }
    const summary = [...byKind].map(([k, m]) => `${k} ${[...m].map(([s, n]) => `${s}×${n}`).join(' ')}`).join('\n');
    expect(problems.slice(0, 10), `${problems.length} problems; answers by kind (first engine):\n${summary}`).toEqual([]);
    // every kind of input was generated, most answered both ways, and every string field got its NUL
    expect(byKind.get('valid')?.get(204)).toBeGreaterThan(COUNT / 10);
    for (const kind of ['resend', 'resend_known', 'nul', 'wrong_type', 'truncated', 'deep', 'huge', 'too_many_events', 'proto', 'encoding_gzip', 'encoding_gzip-garbage', 'bad_timestamp', 'duplicate_ids', 'pixel_valid', 'pixel_param_value', 'admin_param', 'journey_put']) {
      expect([...(byKind.get(kind)?.values() ?? [])].reduce((a, b) => a + b, 0), kind).toBeGreaterThan(0);
    }
    // (the NUL inputs walk the list of fields in turn: a short run may not reach its end)
    const fields = new Set(STRING_FIELDS.map((f) => (f.type === 'context' ? `context.${f.field}` : f.field)));
    if ((byKind.get('nul')?.get(400) ?? 0) >= STRING_FIELDS.length) expect([...fields].filter((f) => !nulFields.has(f) && !f.startsWith('context.journeyKey'))).toEqual([]);

    for (const c of collectors) {
      await c.drain();
      expect([c.engine, await known(c)]).toEqual([c.engine, expected]);
      expect([c.engine, await c.store.outboxBacklog(), await c.store.deadLetters.count()]).toEqual([c.engine, 0, 0]);
      const h = await fetch(`${c.url}/health`);
      expect([c.engine, h.status, ((await h.json()) as { status: string }).status]).toEqual([c.engine, 200, 'ok']);
    }
    const stored = [];
    for (const c of collectors) {
      const events = await storedEvents(c);
      const unstorable = events.filter((e) => !Object.values(e).every((v) => typeof v !== 'string' || isStorable(v)));
      expect([c.engine, unstorable.length]).toEqual([c.engine, 0]);
      stored.push({ events, counters: await c.store.readCounters({}), pixel: await pixelRecords(c) });
    }
    expect(stored[0]!.events.length).toBeGreaterThan(COUNT / 5);
    // what was acknowledged is stored, and nothing else: a refused batch leaves no event behind
    const acknowledged = new Set(idsOf({ kind: 'known', method: 'POST', path: '', headers: {}, body: Buffer.from(JSON.stringify(knownBatch())) }));
    let pixelAnswered = 0;
    for (const [r, got] of all) {
      if (got[0]!.status === 204) for (const id of idsOf(r)) acknowledged.add(id);
      if (got[0]!.status === 200 && /^\/(log|pixel\.gif)(\?|$)/.test(r.path)) pixelAnswered++;
    }
    const sdkIds = stored[0]!.events.filter((e) => e.source === 'sdk').map((e) => e.eventId);
    expect(new Set(sdkIds).size).toBe(sdkIds.length);
    expect(sdkIds.filter((id) => !acknowledged.has(id))).toEqual([]);
    expect(sdkIds.length).toBe(acknowledged.size);
    expect(stored[0]!.events.filter((e) => e.source === 'pixel').length).toBe(pixelAnswered);
    for (const s of stored.slice(1)) {
      expect(s.events.length).toBe(stored[0]!.events.length);
      expect(s.counters).toEqual(stored[0]!.counters);
      expect(s.pixel).toEqual(stored[0]!.pixel);
      expect(s.events).toEqual(stored[0]!.events);
    }
    console.log(`fuzz: ${all.length} inputs × ${collectors.length} engines in ${seconds.toFixed(1)} s; ${stored[0]!.events.length} events stored\n${summary}`);
  }, 600_000);
});
