/**
 * Product-tour and content helpers (the documented tour and content events) and the target resolver that
 * waits a bounded time for a late-rendered element and reports `target_not_found` when it fails.
 */
import type { Tracker, WaymarkEvent } from '@waymark/core';
import { now } from './util';

type Sent = WaymarkEvent | null;

/** Events of one product tour. Each returns the tracked event, or null when it was dropped. */
export interface TourTracker {
  /** `TourStarted` */
  started(): Sent;
  /** `StepViewed`: a tour step was shown (`stepIndex` counts from 0) */
  stepViewed(stepId: string, stepIndex: number): Sent;
  /** `StepCompleted`: the user advanced past a step */
  stepCompleted(stepId: string, stepIndex: number): Sent;
  /** `TourCompleted` */
  completed(): Sent;
  /** `TourDismissed`, optionally with the step it was dismissed at */
  dismissed(stepId?: string, stepIndex?: number): Sent;
  /** `TourRestarted` */
  restarted(): Sent;
}

/** Events of one piece of content (announcement, banner, checklist). */
export interface ContentTracker {
  /** `ContentViewed` */
  viewed(): Sent;
  /** `ContentDismissed` */
  dismissed(): Sent;
  /** `ContentCtaClicked`, optionally naming the call to action */
  ctaClicked(cta?: string): Sent;
}

/** Creates the helpers of tour `tourId` on tracker `t`. */
export const tourTracker = (t: Tracker, tourId: string): TourTracker => ({
  started: () => t.track('TourStarted', { tourId }),
  stepViewed: (stepId, stepIndex) => t.track('StepViewed', { tourId, stepId, stepIndex }),
  stepCompleted: (stepId, stepIndex) => t.track('StepCompleted', { tourId, stepId, stepIndex }),
  completed: () => t.track('TourCompleted', { tourId }),
  dismissed: (stepId, stepIndex) => t.track('TourDismissed', { tourId, stepId, stepIndex }),
  restarted: () => t.track('TourRestarted', { tourId }),
});

/** Creates the helpers of content `contentId` on tracker `t`. */
export const contentTracker = (t: Tracker, contentId: string): ContentTracker => ({
  viewed: () => t.track('ContentViewed', { contentId }),
  dismissed: () => t.track('ContentDismissed', { contentId }),
  ctaClicked: (cta) => t.track('ContentCtaClicked', { contentId, cta }),
});

/** Options of {@link resolveTarget}. */
export interface ResolveTargetOptions {
  /** tracker that reports `target_not_found` */
  tracker: Tracker;
  /** how long to wait for the element (ms); default 3 000 */
  timeoutMs?: number;
  /** tour, step and content the target belongs to, reported with `target_not_found` */
  tourId?: string;
  stepId?: string;
  contentId?: string;
  /** where to look; default `document` */
  root?: ParentNode & Node;
}

/**
 * Finds the element matching `selector` under `root`, waiting up to `timeoutMs` for it to appear
 * (a MutationObserver re-checks on every DOM change). Resolves to the element, or to null after
 * tracking `target_not_found` with the selector, tour, step, content and time waited. An invalid
 * selector resolves to null at once (also reported). Never rejects.
 *
 * @example
 * const el = await resolveTarget('#save-button', { tracker, tourId: 'onboarding', stepId: 'save' });
 * if (el) showTooltip(el);
 */
export function resolveTarget(selector: string, o: ResolveTargetOptions): Promise<Element | null> {
  const { tracker, timeoutMs = 3000, tourId, stepId, contentId } = o;
  const root = o.root ?? document;
  const start = now();
  return new Promise((resolve) => {
    let mo: MutationObserver | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = (el: Element | null) => {
      mo?.disconnect();
      clearTimeout(timer);
      if (!el) tracker.track('target_not_found', { selector, tourId, stepId, contentId, waitedMs: now() - start });
      resolve(el);
    };
    const find = () => root.querySelector(selector);
    let el: Element | null;
    try {
      el = find();
    } catch {
      return done(null); // invalid selector: it will never match
    }
    if (el || timeoutMs <= 0) return done(el);
    mo = new MutationObserver(() => {
      const found = find();
      if (found) done(found);
    });
    mo.observe(root, { subtree: true, childList: true, attributes: true });
    timer = setTimeout(() => done(null), timeoutMs);
  });
}
