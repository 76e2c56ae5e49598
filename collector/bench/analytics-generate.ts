/**
 * Generator of the analytics benchmark: writes N raw events straight into a SQLite store (one
 * prepared INSERT, transactions of 50,000 rows) and the matching rollups, computed by the
 * processor's own `aggregate()` over the same rows, so counters and raw events agree exactly.
 */
import type { SqliteStore } from '../src/store/sqlite/index';
import { aggregate } from '../src/rollups/aggregate';
import type { CounterDelta, StoredEvent } from '../src/store/types';

export const ORG = 'bench';
export const DAYS = 90;
export const END = Date.UTC(2025, 5, 30); // exclusive: the 90 days end on 2025-06-29
export const START = END - DAYS * 86_400_000;
export const TOURS = Array.from({ length: 20 }, (_, i) => `tour_${i}`);
export const JOURNEYS = ['grant', 'signup', 'renewal', 'claim', 'survey'];
const STEPS = ['welcome', 'navigate', 'click', 'configure', 'complete'];
const JSTEPS = ['eligibility', 'details', 'documents', 'review'];

/** Small seeded PRNG (mulberry32). */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Skewed pick: the first items get most of the traffic (tour_0 ≈ a quarter of tour events). */
const skewed = (r: () => number, xs: string[]) => xs[Math.min(xs.length - 1, Math.floor(xs.length * r() ** 2.5))]!;

export async function generate(store: SqliteStore, total: number, log: (m: string) => void): Promise<void> {
  const db = store.db;
  const insert = db.prepare(
    `INSERT INTO raw_events (org, env, kind, content_id, ts, event_id, session_id, client_id, type, source, received_at, json)
     VALUES (?, 'prod', ?, ?, ?, ?, ?, ?, ?, 'sdk', ?, ?)`,
  );
  const counter = db.prepare(
    `INSERT INTO counters (org, env, kind, content_id, granularity, period, metric, dim, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (org, env, kind, content_id, granularity, period, metric, dim) DO UPDATE SET value = value + excluded.value`,
  );
  const r = rng(1);
  let seq = 0;
  let batch: StoredEvent[] = [];
  // counters are summed in memory over the whole run and written once at the end: one row per key
  const sums = new Map<string, CounterDelta>();
  const flush = db.transaction((events: StoredEvent[]) => {
    for (const e of events) insert.run(ORG, e.contentKind, e.contentId, e.ts, e.eventId, e.sessionId, e.clientId, e.type, e.ts, e.json);
    for (const c of aggregate(events).counters) {
      const k = `${c.contentKind}|${c.contentId}|${c.granularity}|${c.period}|${c.metric}|${c.dim}`;
      const old = sums.get(k);
      if (old) old.value += c.value;
      else sums.set(k, c);
    }
  });
  const writeCounters = db.transaction(() => {
    for (const c of sums.values()) counter.run(c.orgKey, c.env, c.contentKind, c.contentId, c.granularity, c.period, c.metric, c.dim, c.value);
  });
  db.pragma('cache_size = -1000000'); // 1 GB page cache while bulk loading
  // sessions start in time order (so the ts and content indexes mostly append), spaced so that the
  // events left fill the time left: the estimate of events per session is refined as we go
  let clock = START;
  const push = (kind: 'tour' | 'journey', contentId: string, ts: number, sid: string, cid: string, type: string, fields: Record<string, unknown>) => {
    const id = `e${(seq++).toString(36).padStart(6, '0')}`; // monotonic: appends to the unique index
    const json = JSON.stringify({ _tag: type, schemaVersion: 1, id, ts: new Date(ts).toISOString(), orgKey: ORG, sessionId: sid, clientId: cid, url: 'https://app.example.com/', embedVersion: '1.0.0', ...fields });
    batch.push({ seq, orgKey: ORG, env: 'prod', contentKind: kind, contentId, ts, eventId: id, sessionId: sid, clientId: cid, type, source: 'sdk', receivedAt: ts, json });
  };
  const started = performance.now();
  let session = 0;
  while (seq < total) {
    const sid = `s${(session++).toString(36)}`;
    const cid = `u${Math.floor(r() * 400_000).toString(36)}`;
    const perSession = session > 1000 ? seq / session : 11;
    const gap = (END - 3_600_000 - clock) / Math.max(1, (total - seq) / perSession);
    clock += Math.floor(r() * 2 * gap);
    let t = Math.min(clock, END - 3_600_000);
    if (r() < 0.5) {
      const tourId = skewed(r, TOURS);
      push('tour', tourId, t, sid, cid, 'TourStarted', { tourId });
      let done = true;
      for (let i = 0; i < STEPS.length; i++) {
        push('tour', tourId, (t += 3000), sid, cid, 'StepViewed', { tourId, stepId: STEPS[i], stepIndex: i });
        if (r() < 0.02) push('tour', tourId, (t += 100), sid, cid, 'target_not_found', { tourId, stepId: STEPS[i], selector: `#${STEPS[i]}-anchor` });
        if (r() > 0.85) {
          done = false;
          break;
        }
        push('tour', tourId, (t += 3000), sid, cid, 'StepCompleted', { tourId, stepId: STEPS[i], stepIndex: i });
      }
      push('tour', tourId, (t += 1000), sid, cid, done ? 'TourCompleted' : 'TourDismissed', { tourId });
    } else {
      const journeyKey = skewed(r, JOURNEYS);
      const start = t;
      push('journey', journeyKey, t, sid, cid, 'session_start', { journeyKey });
      let done = true;
      for (const stepKey of JSTEPS) {
        push('journey', journeyKey, (t += 5000), sid, cid, 'step_view', { journeyKey, stepKey });
        const fieldKey = `${stepKey}_field`;
        push('journey', journeyKey, (t += 2000), sid, cid, 'field_focus', { journeyKey, stepKey, fieldKey });
        push('journey', journeyKey, (t += 4000), sid, cid, 'field_blur', { journeyKey, stepKey, fieldKey, durationMs: Math.floor(r() * 20_000) });
        if (r() < 0.1) push('journey', journeyKey, (t += 100), sid, cid, 'validation_error', { journeyKey, stepKey, fieldKey, errorType: 'format' });
        if (r() > 0.85) {
          done = false;
          break;
        }
      }
      if (done) push('journey', journeyKey, (t += 3000), sid, cid, 'session_end', { journeyKey, completed: true, durationMs: t - start });
    }
    if (batch.length >= 50_000) {
      flush(batch);
      batch = [];
      if (seq % 1_000_000 < 50_000) log(`  ${seq.toLocaleString('en')} events, ${Math.round(seq / ((performance.now() - started) / 1000)).toLocaleString('en')}/s`);
    }
  }
  flush(batch);
  writeCounters();
  log(`generated ${seq.toLocaleString('en')} raw events in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
