/**
 * `init()`: the browser tracker. Importing this module touches no browser global, so it is safe
 * during server-side rendering; `init` itself only does work in a browser.
 */
import { createTracker } from '@waymark/core';
import type { Platform, TrackArgs, Tracker, TrackerOptions, WaymarkEvent } from '@waymark/core';
import { autoTrack, type AutoTrackOptions } from './auto/index';
import { EMBED } from './build';
import { createJourney, type Journey, type SubmitSuccessOn } from './journey';
import { browserPlatform } from './platform';
import { contentTracker, tourTracker, type ContentTracker, type TourTracker } from './tours';
import { VERSION } from './version';

/** Options of {@link init}: the core tracker's options, with the browser platform supplied. */
export interface BrowserOptions extends Omit<TrackerOptions, 'platform'> {
  /** replaces parts of the browser platform (transports, storage, queue store…); default none */
  platform?: Partial<Platform>;
  /** automatic tracking: `false` switches all of it off, an object switches parts; default all on */
  autoTrack?: boolean | AutoTrackOptions;
  /**
   * when a `submit_attempt` counts as `submit_success` without a `submitSuccess()` call:
   * `'step'` on the next step, `'url'` on the next URL; default `false` (only through the API)
   */
  submitSuccessOn?: SubmitSuccessOn;
}

/** The core {@link Tracker} plus the journey methods (what the CDN embed builds on). */
export interface JourneyTracker extends Tracker {
  /** Makes `stepKey` the current step and tracks `step_view` (nothing when it already is). */
  step(stepKey: string): WaymarkEvent | null | void;
  /** Tracks `submit_success` for `stepKey`, default the current step (or the last submitted form's). */
  submitSuccess(stepKey?: string): WaymarkEvent | null;
  /** Tracks `session_end` with `completed: true` (once per session); drop-off signals stop. */
  completeJourney(): void;
}

/** The core {@link Tracker} plus journey, tour and content helpers. No method throws into the page. */
export interface BrowserTracker extends JourneyTracker {
  /** Tracks `validation_error` for a field and an error type (e.g. `valueMissing`), never the input. */
  validationError(fieldKey: string, errorType: string): WaymarkEvent | null;
  /** Helpers for the events of product tour `tourId`. */
  tour(tourId: string): TourTracker;
  /** Helpers for the events of content `contentId`. */
  content(contentId: string): ContentTracker;
}

let current: BrowserTracker | undefined;
/** `track()` calls made before `init()`, replayed by it (bounded) */
const early: TrackArgs[] = [];

const fail = (what: string, got: unknown): never => {
  throw new TypeError(`[JourneyEmbed] expected ${what}, got ${JSON.stringify(got)}`);
};

/**
 * Builds the tracker and its journey state, without the helpers only npm users need (the embed
 * leaves them out); browser only. @internal
 */
export function start(
  o: BrowserOptions,
  // unset: only submitSuccess() confirms a submit
  on?: SubmitSuccessOn,
  // unset: all parts (init() always says, the embed never)
  auto?: boolean | AutoTrackOptions,
): [JourneyTracker, Journey] {
  // the embed has no platform option
  const platform = EMBED ? browserPlatform(o.endpoint) : { ...browserPlatform(o.endpoint), ...o.platform };
  const t = createTracker({ version: VERSION, ...o, platform });
  const j = createJourney(t, EMBED ? undefined : platform.storage, on);
  if (EMBED || auto !== false) t.use(autoTrack(j, EMBED || typeof auto != 'object' ? {} : auto));
  // the tracker's getters (sessionId, optedOut…) stay live through the prototype
  const bt = Object.assign(Object.create(t) as Tracker, {
    step: (k: string) => j.setStep(k),
    submitSuccess: (stepKey?: string) => {
      const p = j.pending;
      j.pending = undefined;
      return t.track('submit_success', stepKey ? { stepKey } : p || { stepKey: j.step });
    },
    completeJourney: () => j.complete(),
  });
  return [bt, j];
}

/**
 * Starts tracking in the browser and returns the tracker. A second call returns the first
 * tracker (its options are ignored). On the server (no `window`) it returns a tracker that does
 * nothing, and remembers nothing, so the browser's call still starts the real one.
 * Throws a `TypeError` ("expected …, got …") on misconfiguration.
 *
 * @example
 * import { init } from '@waymark/browser';
 * const tracker = init({ org: 'acme', journey: 'signup', endpoint: 'https://collector.example.com/api/ingest' });
 * tracker.step('eligibility');
 */
export function init(options: BrowserOptions): BrowserTracker {
  if (current) return current;
  if (typeof window == 'undefined') return serverTracker(options);
  // the embed sets neither, so these checks live here rather than in start()
  const { autoTrack: auto = true, submitSuccessOn: on = false } = options;
  if (typeof auto != 'boolean' && (typeof auto != 'object' || !auto)) fail('autoTrack to be a boolean or an object', auto);
  if (on !== false && on != 'step' && on != 'url') fail("submitSuccessOn to be 'step', 'url' or false", on);
  const [t, j] = start(options, on, auto);
  current = Object.assign(t, {
    validationError: (fieldKey: string, errorType: string) => t.track('validation_error', { fieldKey, errorType, stepKey: j.step }),
    tour: (id: string) => tourTracker(t, id),
    content: (id: string) => contentTracker(t, id),
  });
  early.splice(0).forEach((a) => current!.track(...a));
  return current;
}

/**
 * Tracks an event on the tracker of {@link init}. Calls made before `init` are kept (the first
 * 100) and sent once it runs. Returns the event, or null when it was dropped or is waiting.
 */
export function track(...args: TrackArgs): WaymarkEvent | null {
  if (current) return current.track(...args);
  if (early.length < 100) early.push(args);
  return null;
}

/** The tracker {@link init} created, if it ran. */
export const getTracker = (): BrowserTracker | undefined => current;

/** A tracker that records nothing, for server-side rendering. */
function serverTracker(o: BrowserOptions): BrowserTracker {
  const no = () => null;
  const t: BrowserTracker = {
    track: no,
    flush: async () => {},
    optOut: no,
    optIn: no,
    optedOut: true,
    sessionId: '',
    sessionStart: 0,
    clientId: '',
    pending: 0,
    options: { env: 'prod', debug: false, ...o } as BrowserTracker['options'],
    use: no,
    on: () => no,
    shutdown: async () => {},
    step: no,
    validationError: no,
    submitSuccess: no,
    completeJourney: no,
    tour: (id) => tourTracker(t, id),
    content: (id) => contentTracker(t, id),
  };
  return t;
}
