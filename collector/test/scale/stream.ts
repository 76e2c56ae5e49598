/**
 * A large interleaved stream of tour and content events with an independent ground truth:
 * per tour and UTC day, how many starts, completions and dismissals were sent (each event once).
 */
export const ORG = 'scale-org';
export const API_KEY = 'sk_test_scale_0123456789';
export const DAYS = ['2026-11-18', '2026-11-19', '2026-11-20'];
export const TOURS = ['onboarding', 'billing', 'reports', 'invite'];

export interface WireEvent extends Record<string, unknown> {
  _tag: string;
  id: string;
  ts: string;
  tourId?: string;
}

/** Deterministic PRNG (mulberry32), so a failing run can be replayed. */
export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every user runs one tour (some restart it) and sees a content item; returns all events, unordered. */
export function makeStream(users: number, seed = 42): WireEvent[] {
  const r = rng(seed);
  const out: WireEvent[] = [];
  for (let u = 0; u < users; u++) {
    const tour = TOURS[Math.floor(r() * TOURS.length)]!;
    const day = DAYS[Math.floor(r() * DAYS.length)]!;
    let t = Date.parse(`${day}T00:00:00Z`) + Math.floor(r() * 22 * 3600_000);
    const base = { schemaVersion: 1, orgKey: ORG, sessionId: `s${u}`, clientId: `u${u}`, url: 'https://app.example.com/', embedVersion: '1.0.0' };
    let n = 0;
    const ev = (tag: string, extra: Record<string, unknown>) => {
      t += 1000 + Math.floor(r() * 60_000);
      out.push({ _tag: tag, ...base, id: `u${u}_${n++}`, ts: new Date(t).toISOString(), ...extra });
    };
    ev('TourStarted', { tourId: tour });
    const steps = 2 + Math.floor(r() * 4);
    let completed = true;
    for (let i = 0; i < steps; i++) {
      ev('StepViewed', { tourId: tour, stepId: `${tour}_s${i}`, stepIndex: i });
      if (r() < 0.12) {
        ev('TourDismissed', { tourId: tour, stepId: `${tour}_s${i}`, stepIndex: i });
        completed = false;
        break;
      }
      ev('StepCompleted', { tourId: tour, stepId: `${tour}_s${i}`, stepIndex: i });
    }
    if (completed) ev('TourCompleted', { tourId: tour });
    if (r() < 0.1) ev('TourRestarted', { tourId: tour });
    ev('ContentViewed', { contentId: `banner_${u % 5}` });
    if (r() < 0.3) ev('ContentCtaClicked', { contentId: `banner_${u % 5}`, cta: 'learn-more' });
  }
  return out;
}

/** Fisher-Yates shuffle with the given PRNG (out-of-order delivery). */
export function shuffle<T>(xs: T[], r: () => number): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

export interface DayTotals {
  starts: number;
  completions: number;
  dismissals: number;
}

/** Ground truth: per tour, per day, counted straight from the generated events. */
export function groundTruth(events: WireEvent[]): Map<string, Map<string, DayTotals>> {
  const byTour = new Map<string, Map<string, DayTotals>>();
  const metric: Record<string, keyof DayTotals> = { TourStarted: 'starts', TourCompleted: 'completions', TourDismissed: 'dismissals' };
  for (const e of events) {
    const m = metric[e._tag];
    if (!m || !e.tourId) continue;
    const days = byTour.get(e.tourId) ?? new Map<string, DayTotals>();
    byTour.set(e.tourId, days);
    const day = e.ts.slice(0, 10);
    const d = days.get(day) ?? { starts: 0, completions: 0, dismissals: 0 };
    days.set(day, d);
    d[m]++;
  }
  return byTour;
}

/** The wire batch of `events`. */
export const batchBody = (events: WireEvent[]) => JSON.stringify({ schemaVersion: 1, context: { orgKey: ORG, env: 'prod' }, events });
