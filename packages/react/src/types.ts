/**
 * `@waymark/react/types`: the public types of `@waymark/react`, with no runtime code.
 * Server components (Next.js App Router) may import from here without pulling in React hooks,
 * the `"use client"` boundary or the browser SDK.
 */
import type { BrowserOptions } from '@waymark/browser';
import type { Tracker } from '@waymark/core';

/** Options of `<WaymarkProvider options>`: the browser SDK's `init` options (org, journey, endpoint, env, debug, autoTrack…). */
export type WaymarkOptions = BrowserOptions;

/** Tour helpers of the browser tracker (`tracker.tour(tourId)`); each emits one tour event. */
export interface TourEvents {
  started(): unknown;
  stepViewed(stepId: string, stepIndex: number): unknown;
  stepCompleted(stepId: string, stepIndex: number): unknown;
  completed(): unknown;
  dismissed(stepId?: string, stepIndex?: number): unknown;
  restarted(): unknown;
}

/** Content helpers of the browser tracker (`tracker.content(contentId)`). */
export interface ContentEvents {
  viewed(): unknown;
  dismissed(): unknown;
  ctaClicked(cta?: string): unknown;
}

/**
 * What the hooks need from a tracker: the core {@link Tracker} plus the browser SDK's journey,
 * tour and content helpers. `BrowserTracker` from `@waymark/browser` satisfies it; tests may
 * pass any object that does.
 */
export interface WaymarkTracker extends Tracker {
  /** records `step_view` for `stepKey` */
  step(stepKey: string): unknown;
  /** records `validation_error` (`errorType` is a ValidityState key such as `valueMissing`) */
  validationError(fieldKey: string, errorType: string): unknown;
  /** records `submit_success` */
  submitSuccess(stepKey?: string): unknown;
  completeJourney(): unknown;
  tour(tourId: string): TourEvents;
  content(contentId: string): ContentEvents;
}

/** Where `useTour` keeps progress so that a reload resumes instead of starting again. */
export type TourPersistence = 'local' | 'session' | 'none';

/** One step of a tour. */
export interface TourStep {
  /** stable id of the step, reported as `stepId` */
  id: string;
  /** CSS selector of the element the step points at; resolved with a bounded wait */
  target?: string;
}

/** Options of `useTour`. */
export interface UseTourOptions<S extends TourStep = TourStep> {
  /** reported as `tourId` on every tour event */
  tourId: string;
  /** the steps, in order; at least one */
  steps: readonly S[];
  /** start the tour once mounted unless progress says it already ran; default false */
  autoStart?: boolean;
  /** where progress is kept; default `local` (localStorage) */
  persist?: TourPersistence;
  /** how long to wait for a step's target to render (ms); default: the browser SDK's default */
  targetTimeoutMs?: number;
}

/** Where a tour stands. `idle`: never started (or progress not kept). */
export type TourStatus = 'idle' | 'active' | 'completed' | 'dismissed';

/** What `useTour` returns. Every action is a no-op when it makes no sense (e.g. `next()` while idle). */
export interface TourControls<S extends TourStep = TourStep> {
  status: TourStatus;
  /** index of the current step (0 before the tour starts) */
  stepIndex: number;
  /** the current step, or null unless the tour is active */
  step: S | null;
  /** starts the tour unless it is active or already ended (use `restart` then) */
  start(): void;
  /** completes the current step and shows the next one; on the last step completes the tour */
  next(): void;
  /** shows the previous step */
  back(): void;
  /** shows step `index` */
  goTo(index: number): void;
  /** completes the current step and the tour */
  complete(): void;
  /** closes the tour early at the current step */
  dismiss(): void;
  /** starts over from the first step, whatever the status */
  restart(): void;
  /** the current step's target once found; null while waiting, when not found, or without target */
  targetElement: Element | null;
}

/** Props `useField` / `form.field()` return; spread them on an input, select or textarea. */
export interface FieldProps {
  onFocus(event: { currentTarget: unknown }): void;
  onBlur(event: { currentTarget: unknown }): void;
  onChange(event: { currentTarget: unknown }): void;
  onInvalid(event: { currentTarget: unknown }): void;
}

/** Options of `useField` and `useJourneyForm`. */
export interface JourneyFieldOptions {
  /** reported as `stepKey` on the field and form events */
  stepKey?: string;
}

/** Options of `useJourneyForm`. */
export interface JourneyFormOptions extends JourneyFieldOptions {
  /** reported as `formKey` on `submit_attempt` / `submit_success` */
  formKey?: string;
}

/** What `useContent` returns. */
export interface ContentControls {
  /**
   * Optional: attach to the content's root element to count `ContentViewed` only once it
   * enters the viewport (IntersectionObserver). Without it, the content counts as viewed when mounted.
   */
  ref(element: Element | null): void;
  /** records `ContentDismissed` (once) */
  dismiss(): void;
  /** records `ContentCtaClicked`, with the CTA's name when given */
  ctaClicked(cta?: string): void;
}
