/**
 * Names of the known event types, kept here as one string so that the tracker bundle never
 * imports the zod schema (a test checks it matches `eventSchemas` in events.ts).
 * For these, `track(type, props)` spreads the typed fields at the event's top level.
 */
export const KNOWN_TYPES =
  'session_start session_end page_view step_view field_focus field_blur field_change validation_error submit_attempt submit_success dropoff_signal TourStarted StepViewed StepCompleted TourCompleted TourDismissed TourRestarted ContentViewed ContentDismissed ContentCtaClicked target_not_found web_vital';

/** Custom event names (the same rule as `CUSTOM_EVENT_NAME` in events.ts). */
export const CUSTOM_NAME = /^[A-Za-z][\w.:-]{0,63}$/;
