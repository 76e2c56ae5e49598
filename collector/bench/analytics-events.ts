/**
 * Simulated traffic of the analytics and processor benchmarks, as the collector's ingest would
 * store it (`RawEvent` rows, what `toRawEvents` makes of SDK batches): 50 % tour sessions (20
 * tours), 50 % journey sessions (5 journeys, 4 steps, fields, validation errors, devices and
 * languages), skewed so that `tour_0` and `grant` are the busiest, spread in time order over
 * `DAYS` days. Each session arrives as two batches, the second one several sessions later (as
 * page-hide beacons do), so the processor sees sessions whose events span claims.
 */
import type { RawEvent } from '../src/store/types';

export const ORG = 'bench';
export const DAYS = 90;
export const END = Date.UTC(2025, 5, 30); // exclusive: the 90 days end on 2025-06-29
export const START = END - DAYS * 86_400_000;
export const TOURS = Array.from({ length: 20 }, (_, i) => `tour_${i}`);
export const JOURNEYS = ['grant', 'signup', 'renewal', 'claim', 'survey'];
const STEPS = ['welcome', 'navigate', 'click', 'configure', 'complete'];
const JSTEPS = ['eligibility', 'details', 'documents', 'review'];
const DEVICES = ['desktop', 'mobile', 'tablet'];
const LANGUAGES = ['en-US', 'fr-FR', 'de-DE', 'es-ES'];

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

/**
 * Yields batches (one session's first or second half) until `total` events, in delivery order.
 * `delay` = how many sessions later a session's second batch arrives; `days` (default 90) the
 * span of time the events fill, ending at `END`.
 */
export function* batches(total: number, opts: { seed?: number; delay?: number; days?: number } = {}): Generator<RawEvent[]> {
  const r = rng(opts.seed ?? 1);
  const delay = opts.delay ?? 8;
  const first = END - (opts.days ?? DAYS) * 86_400_000;
  const late: RawEvent[][] = [];
  let seq = 0;
  let session = 0;
  let clock = first;
  while (seq < total) {
    const sid = `s${(session++).toString(36).padStart(7, '0')}`;
    const cid = `u${Math.floor(r() * 400_000).toString(36)}`;
    const perSession = session > 1000 ? seq / session : 11;
    const gap = (END - 3_600_000 - clock) / Math.max(1, (total - seq) / perSession);
    clock += Math.floor(r() * 2 * gap);
    let t = Math.min(clock, END - 3_600_000);
    const events: RawEvent[] = [];
    const push = (kind: 'tour' | 'journey', contentId: string, ts: number, type: string, fields: Record<string, unknown>) => {
      const id = `e${(seq++).toString(36).padStart(8, '0')}`;
      const json = JSON.stringify({
        _tag: type, schemaVersion: 1, id, ts: new Date(ts).toISOString(), orgKey: ORG, sessionId: sid, clientId: cid,
        url: 'https://app.example.com/apply/step', embedVersion: '1.0.0', ...fields,
      });
      events.push({ orgKey: ORG, env: 'prod', contentKind: kind, contentId, ts, eventId: id, sessionId: sid, clientId: cid, type, source: 'sdk', json });
    };
    if (r() < 0.5) {
      const tourId = skewed(r, TOURS);
      push('tour', tourId, t, 'TourStarted', { tourId });
      let done = true;
      for (let i = 0; i < STEPS.length; i++) {
        push('tour', tourId, (t += 3000), 'StepViewed', { tourId, stepId: STEPS[i], stepIndex: i });
        if (r() < 0.02) push('tour', tourId, (t += 100), 'target_not_found', { tourId, stepId: STEPS[i], selector: `#${STEPS[i]}-anchor`, waitedMs: 3000 });
        if (r() > 0.85) {
          done = false;
          break;
        }
        push('tour', tourId, (t += 3000), 'StepCompleted', { tourId, stepId: STEPS[i], stepIndex: i });
      }
      push('tour', tourId, (t += 1000), done ? 'TourCompleted' : 'TourDismissed', { tourId });
    } else {
      const journeyKey = skewed(r, JOURNEYS);
      const start = t;
      const context = { deviceClass: DEVICES[Math.floor(r() * r() * DEVICES.length)], language: LANGUAGES[Math.floor(r() * LANGUAGES.length)] };
      push('journey', journeyKey, t, 'session_start', { journeyKey, context });
      let done = true;
      for (const stepKey of JSTEPS) {
        push('journey', journeyKey, (t += 2000 + Math.floor(r() * 6000)), 'step_view', { journeyKey, stepKey });
        const fieldKey = `${stepKey}_field`;
        push('journey', journeyKey, (t += 2000), 'field_focus', { journeyKey, stepKey, fieldKey });
        push('journey', journeyKey, (t += 4000), 'field_blur', { journeyKey, stepKey, fieldKey, durationMs: Math.floor(r() * 20_000) });
        if (r() < 0.1) push('journey', journeyKey, (t += 100), 'validation_error', { journeyKey, stepKey, fieldKey, errorType: r() < 0.6 ? 'format' : 'required' });
        if (r() > 0.85) {
          done = false;
          break;
        }
      }
      if (done) push('journey', journeyKey, (t += 3000), 'session_end', { journeyKey, completed: true, durationMs: t - start });
    }
    const half = Math.ceil(events.length / 2);
    yield events.slice(0, half);
    late.push(events.slice(half));
    if (late.length > delay) yield late.shift()!;
  }
  for (const b of late) yield b;
}
