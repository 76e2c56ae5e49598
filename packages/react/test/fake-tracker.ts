/**
 * A tracker that records what the hooks ask it to track, shaped like the browser SDK's tracker.
 * The tests assert on the recorded sequence of events.
 */
import type { WaymarkTracker } from '../src/types';

export interface Recorded {
  type: string;
  [prop: string]: unknown;
}

export function fakeTracker(): WaymarkTracker & { events: Recorded[]; types(): string[] } {
  const events: Recorded[] = [];
  const track = (type: string, props: object = {}) => {
    events.push({ type, ...props });
    return null;
  };
  const t = {
    events,
    types: () => events.map((e) => e.type),
    track: track as WaymarkTracker['track'],
    flush: async () => {},
    optOut() {},
    optIn() {},
    optedOut: false,
    sessionId: 'sess_test',
    sessionStart: 0,
    clientId: 'client_test',
    pending: 0,
    options: { org: 'demo', endpoint: 'http://127.0.0.1/api/ingest', env: 'dev', debug: false } as WaymarkTracker['options'],
    use() {},
    on: () => () => {},
    shutdown: async () => {},
    step: (stepKey: string) => track('step_view', { stepKey }),
    validationError: (fieldKey: string, errorType: string) => track('validation_error', { fieldKey, errorType }),
    submitSuccess: (stepKey?: string) => track('submit_success', stepKey ? { stepKey } : {}),
    completeJourney: () => track('session_end', { completed: true }),
    tour: (tourId: string) => ({
      started: () => track('TourStarted', { tourId }),
      stepViewed: (stepId: string, stepIndex: number) => track('StepViewed', { tourId, stepId, stepIndex }),
      stepCompleted: (stepId: string, stepIndex: number) => track('StepCompleted', { tourId, stepId, stepIndex }),
      completed: () => track('TourCompleted', { tourId }),
      dismissed: (stepId?: string, stepIndex?: number) => track('TourDismissed', { tourId, stepId, stepIndex }),
      restarted: () => track('TourRestarted', { tourId }),
    }),
    content: (contentId: string) => ({
      viewed: () => track('ContentViewed', { contentId }),
      dismissed: () => track('ContentDismissed', { contentId }),
      ctaClicked: (cta?: string) => track('ContentCtaClicked', cta ? { contentId, cta } : { contentId }),
    }),
  };
  return t;
}
