/**
 * Which counters an event increments. Metric names are the documented ones for tours and content
 * (`starts`, `step_views`, `step_completions`, `completions`, `dismissals`, `restarts`, `views`,
 * `cta_clicks`, `target_failures`); journeys get their analytics (sessions, step views
 * per step, field interactions, validation errors per field, submits, completions).
 *
 * Each increment is recorded for the content's total (`dim` = '') and, where listed, again per
 * dimension:
 *
 * | event              | metric                         | dim                        |
 * |--------------------|--------------------------------|----------------------------|
 * | TourStarted        | starts                         |                            |
 * | StepViewed         | step_views                     | stepId                     |
 * | StepCompleted      | step_completions               | stepId                     |
 * | TourCompleted      | completions                    |                            |
 * | TourDismissed      | dismissals                     | stepId (when given)        |
 * | TourRestarted      | restarts                       |                            |
 * | ContentViewed      | views                          |                            |
 * | ContentDismissed   | dismissals                     |                            |
 * | ContentCtaClicked  | cta_clicks                     | cta (when given)           |
 * | target_not_found   | target_failures                | selector                   |
 * | session_start      | sessions                       |                            |
 * | session_end        | (none here: `session_ends` and `completions` are counted once per session by the read model, `readmodel.ts`) | |
 * | page_view          | page_views                     |                            |
 * | step_view          | step_views                     | stepKey                    |
 * | field_focus        | field_focuses                  | fieldKey                   |
 * | field_blur         | field_blurs, field_engaged_ms (sum of durationMs) | fieldKey |
 * | field_change       | field_changes                  | fieldKey                   |
 * | validation_error   | validation_errors; validation_errors_by_type | fieldKey; `fieldKey#errorType` |
 * | submit_attempt     | submit_attempts                | stepKey (when given)       |
 * | submit_success     | submits                        | stepKey (when given)       |
 * | dropoff_signal     | dropoffs                       | reason                     |
 * | web_vital          | web_vitals                     | name                       |
 * | custom event       | custom_events                  | the event's type           |
 * | pixel event        | events (content = site); property_events; property_values | ; name; name U+001F value (`pixel-metrics.ts`) |
 */
import type { WaymarkEvent } from '@waymark/core/schema';

/** One increment: metric, optional dimension, amount. */
export type Increment = [metric: string, dim: string | undefined, value: number];

type Loose = Record<string, unknown> & { _tag: string };
const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/** The increments of one SDK event (empty for events that count nothing). */
export function incrementsOf(event: WaymarkEvent): Increment[] {
  const e = event as unknown as Loose;
  switch (e._tag) {
    case 'TourStarted': return [['starts', undefined, 1]];
    case 'StepViewed': return [['step_views', str(e.stepId), 1]];
    case 'StepCompleted': return [['step_completions', str(e.stepId), 1]];
    case 'TourCompleted': return [['completions', undefined, 1]];
    case 'TourDismissed': return [['dismissals', str(e.stepId), 1]];
    case 'TourRestarted': return [['restarts', undefined, 1]];
    case 'ContentViewed': return [['views', undefined, 1]];
    case 'ContentDismissed': return [['dismissals', undefined, 1]];
    case 'ContentCtaClicked': return [['cta_clicks', str(e.cta), 1]];
    case 'target_not_found': return [['target_failures', str(e.selector), 1]];
    case 'session_start': return [['sessions', undefined, 1]];
    // counted once per session, at its first end, by the session read model (a later end changes nothing)
    case 'session_end': return [];
    case 'page_view': return [['page_views', undefined, 1]];
    case 'step_view': return [['step_views', str(e.stepKey), 1]];
    case 'field_focus': return [['field_focuses', str(e.fieldKey), 1]];
    case 'field_blur':
      return [['field_blurs', str(e.fieldKey), 1], ['field_engaged_ms', str(e.fieldKey), Math.round(Number(e.durationMs) || 0)]];
    case 'field_change': return [['field_changes', str(e.fieldKey), 1]];
    case 'validation_error':
      return [['validation_errors', str(e.fieldKey), 1], ['validation_errors_by_type', `${String(e.fieldKey)}#${String(e.errorType)}`, 1]];
    case 'submit_attempt': return [['submit_attempts', str(e.stepKey), 1]];
    case 'submit_success': return [['submits', str(e.stepKey), 1]];
    case 'dropoff_signal': return [['dropoffs', str(e.reason), 1]];
    case 'web_vital': return [['web_vitals', str(e.name), 1]];
    default: return [['custom_events', e._tag, 1]];
  }
}

/** Metrics whose per-dimension rows are recorded without a total row (the total is `metric` itself). */
export const DIM_ONLY_METRICS = new Set(['validation_errors_by_type']);
