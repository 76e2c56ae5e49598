/**
 * A simulated population for the data-correctness test: users with several sessions spread over
 * 14 days and every hour, each session walking a journey with a known funnel, a product tour
 * (dismissals, restarts, abandonment, target failures) and content items. Every event goes
 * through `@waymark/core`'s `createTracker` (a transport that captures the serialised batches);
 * every decision is also written down as a {@link Fact}, from which the test computes the ground
 * truth on its own.
 */
import { createMemoryStorage, createTracker } from '@waymark/core';
import type { Environment, Tracker } from '@waymark/core';
import { ORG } from './harness';

export const DAY = 86_400_000;
/** First simulated day (the previous period, for trends); the main period starts 7 days later. */
export const T0 = Date.UTC(2025, 3, 24);
export const DAYS = 14;

export const JOURNEY = 'grant';
export const JOURNEY_STEPS = ['eligibility', 'details', 'documents', 'review'] as const;
const JOURNEY_CONTINUE = [0.85, 0.7, 0.6, 0.9];
const FIELDS: Record<string, string[]> = { eligibility: ['age'], details: ['email'], documents: [], review: [] };
const ERROR_TYPES = ['required', 'format', 'too_long'];

export const TOURS: Record<string, { steps: string[]; cont: number[] }> = {
  tour_onboarding: { steps: ['welcome', 'navigate', 'click', 'configure', 'complete'], cont: [0.9, 0.89, 0.56, 0.78, 1] },
  tour_billing: { steps: ['plans', 'card', 'confirm'], cont: [0.8, 0.7, 1] },
};
export const CONTENTS = ['banner_promo', 'checklist_setup'];
const DEVICES = ['desktop', 'mobile', 'desktop', 'tablet'] as const;
const LANGUAGES = ['en-US', 'fr-FR', 'de-DE'];

/** One thing that happened, as the simulation decided it (user/session are simulation indexes). */
export interface Fact {
  type: string;
  ts: number;
  user: number;
  session: number;
  tourId?: string;
  stepIndex?: number;
  stepId?: string;
  contentId?: string;
  selector?: string;
  stepKey?: string;
  fieldKey?: string;
  errorType?: string;
  durationMs?: number;
  completed?: boolean;
  /** batch context of the user's tracker (on session_start facts) */
  device?: string;
  language?: string;
}

/** Seeded PRNG (mulberry32), so a failure reproduces. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Population {
  facts: Fact[];
  /** serialised batches exactly as the trackers sent them */
  bodies: string[];
  sessions: number;
  users: number;
  /** clientId the tracker of each simulated user chose */
  clientIds: string[];
}

/** Simulates `users` users of `env`; sessions ≈ users × 6.5. */
export async function simulate(opts: { users: number; seed: number; env?: Environment; userOffset?: number }): Promise<Population> {
  const r = rng(opts.seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const facts: Fact[] = [];
  const bodies: string[] = [];
  const clientIds: string[] = [];
  let sessions = 0;
  let clock = 0;

  for (let u = 0; u < opts.users; u++) {
    const user = (opts.userOffset ?? 0) + u;
    // sessions: 1..12, at random minutes of random days (every hour), at least 2 h apart
    const starts = Array.from({ length: 1 + Math.floor(r() * 12) }, () => T0 + Math.floor(r() * DAYS * DAY)).sort((a, b) => a - b);
    for (let i = 1; i < starts.length; i++) starts[i] = Math.max(starts[i]!, starts[i - 1]! + 2 * 3_600_000);
    clock = starts[0]!; // the tracker opens its first session at creation: at the first session's start
    // each user's device and language (the batch context), not drawn from the PRNG so the rest of the simulation stays as it was
    const device = DEVICES[user % DEVICES.length]!;
    const language = LANGUAGES[user % LANGUAGES.length]!;
    const tracker: Tracker = createTracker({
      org: ORG, journey: JOURNEY, endpoint: 'http://collector.invalid/v1/sdk/events', env: opts.env ?? 'prod',
      flushAt: 400, flushBytes: 400_000,
      platform: {
        transport: { send: async (body) => (bodies.push(body), { status: 'delivered' }) },
        storage: createMemoryStorage(),
        now: () => clock,
        timers: { setTimeout: () => 0, clearTimeout: () => {} },
        location: () => ({ url: 'https://grants.example.com/apply' }),
        context: () => ({ deviceClass: device, language }),
      },
    });
    for (const start of starts) {
      let session = sessions++;
      let ended = false;
      clock = start;
      const track = (type: string, props: Record<string, unknown>, fact: Partial<Fact> = {}) => {
        // a completed journey's session_end ends the session: the tracker opens a new one (with its
        // session_start) for what the visitor does next
        if (ended) {
          ended = false;
          session = sessions++;
          facts.push({ type: 'session_start', ts: clock, user, session, device, language });
        }
        tracker.track(type as 'TourStarted', props as never);
        facts.push({ type, ts: clock, user, session, ...fact });
        ended = type === 'session_end';
      };
      const tick = (min: number, max: number) => (clock += 1000 * (min + Math.floor(r() * (max - min))));
      // the tracker opens the session (session_start) on the first event after 30 min idle
      facts.push({ type: 'session_start', ts: clock, user, session, device, language });
      journey(track, tick, pick, r, start, () => clock);
      if (r() < 0.45) tour(track, tick, pick, r);
      if (r() < 0.35) content(track, tick, pick, r);
    }
    await tracker.shutdown();
    clientIds.push(tracker.clientId);
  }
  return { facts, bodies, sessions, users: opts.users, clientIds };
}

type Track = (type: string, props: Record<string, unknown>, fact?: Partial<Fact>) => void;
type Tick = (min: number, max: number) => number;
type Pick = <T>(xs: readonly T[]) => T;

function journey(track: Track, tick: Tick, pick: Pick, r: () => number, start: number, now: () => number) {
  for (const [i, stepKey] of JOURNEY_STEPS.entries()) {
    if (i > 0) tick(2, 40); // the first step_view opens the session, at its start
    track('step_view', { stepKey }, { stepKey });
    for (const fieldKey of FIELDS[stepKey]!) {
      tick(1, 10);
      track('field_focus', { fieldKey, stepKey }, { fieldKey, stepKey });
      const durationMs = 300 + Math.floor(r() * 20_000);
      tick(1, 25);
      track('field_blur', { fieldKey, stepKey, durationMs }, { fieldKey, stepKey, durationMs });
      if (r() < 0.15) {
        const errorType = pick(ERROR_TYPES);
        track('validation_error', { fieldKey, errorType, stepKey }, { fieldKey, errorType, stepKey });
      }
    }
    if (r() >= JOURNEY_CONTINUE[i]!) return; // drop-off: the session goes quiet
  }
  tick(5, 60);
  track('submit_success', { stepKey: 'review' }, { stepKey: 'review' });
  const durationMs = now() - start;
  track('session_end', { completed: true, durationMs }, { completed: true, durationMs });
}

function tour(track: Track, tick: Tick, pick: Pick, r: () => number) {
  const tourId = pick(Object.keys(TOURS));
  const { steps, cont } = TOURS[tourId]!;
  tick(1, 30);
  track('TourStarted', { tourId }, { tourId });
  let restarted = false;
  for (let i = 0; i < steps.length; i++) {
    const stepId = steps[i]!;
    tick(1, 20);
    track('StepViewed', { tourId, stepId, stepIndex: i }, { tourId, stepId, stepIndex: i });
    if (r() < (stepId === 'configure' ? 0.2 : 0.03)) {
      const selector = stepId === 'configure' ? '#settings > .advanced [data-tab="sso"]' : `#${stepId}-anchor`;
      track('target_not_found', { selector, tourId, stepId, waitedMs: 3000 }, { tourId, stepId, selector });
    }
    if (r() < cont[i]!) {
      tick(1, 20);
      track('StepCompleted', { tourId, stepId, stepIndex: i }, { tourId, stepId, stepIndex: i });
      continue;
    }
    const d = r();
    if (d < 0.6) track('TourDismissed', { tourId, stepId, stepIndex: i }, { tourId, stepId, stepIndex: i });
    else if (d < 0.75 && !restarted) {
      restarted = true;
      tick(1, 5);
      track('TourRestarted', { tourId }, { tourId });
      i = -1;
      continue;
    }
    return; // dismissed or abandoned
  }
  tick(1, 10);
  track('TourCompleted', { tourId }, { tourId });
}

function content(track: Track, tick: Tick, pick: Pick, r: () => number) {
  const contentId = pick(CONTENTS);
  tick(1, 30);
  track('ContentViewed', { contentId }, { contentId });
  if (r() < 0.3) track('ContentCtaClicked', { contentId, cta: 'upgrade' }, { contentId });
  else if (r() < 0.5) track('ContentDismissed', { contentId }, { contentId });
}
