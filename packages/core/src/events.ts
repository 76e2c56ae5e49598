/**
 * The event and batch definitions of the wire format (`POST /api/ingest`, `POST /v1/sdk/events`).
 * Types are inferred from these schemas, so the SDKs and the collector share one definition.
 *
 * This module imports zod: the tracker only ever imports its *types*, so zod never reaches a
 * browser bundle; the collector imports the runtime schema through `@waymark/core/schema`.
 */
import { z } from 'zod';
import { findUnstorable, utf8Length, type unstorableReason } from './storable';

export { findUnstorable, isStorable, unstorableReason, utf8Length } from './storable';

/** Version of the wire format, sent on every batch and every event. */
export const SCHEMA_VERSION = 1 as const;

/** Events of a journey (the embed script's automatic tracking). */
export const JOURNEY_EVENTS = [
  'session_start',
  'session_end',
  'page_view',
  'step_view',
  'field_focus',
  'field_blur',
  'field_change',
  'validation_error',
  'submit_attempt',
  'submit_success',
  'dropoff_signal',
] as const;
/** Product-tour events. */
export const TOUR_EVENTS = [
  'TourStarted',
  'StepViewed',
  'StepCompleted',
  'TourCompleted',
  'TourDismissed',
  'TourRestarted',
] as const;
/** Content (announcement, banner, checklist) events. */
export const CONTENT_EVENTS = ['ContentViewed', 'ContentDismissed', 'ContentCtaClicked'] as const;
/** Targeting events. */
export const TARGETING_EVENTS = ['target_not_found'] as const;
/** Performance events from web-vitals. */
export const VITAL_EVENTS = ['web_vital'] as const;

/** Environments a batch can belong to; analytics never mix them. */
export const ENVIRONMENTS = ['prod', 'staging', 'dev'] as const;
/** Device classes reported in the batch context. */
export const DEVICE_CLASSES = ['mobile', 'tablet', 'desktop'] as const;
/** Reasons a `dropoff_signal` is raised. */
export const DROPOFF_REASONS = ['page_hidden', 'page_closed', 'inactivity', 'rapid_exit'] as const;

const key = z.string().min(1).max(128);
const id = z.string().min(1).max(64);
const text = (max: number) => z.string().max(max);
const count = z.number().int().nonnegative();
const duration = z.number().nonnegative().max(1e10);

/** Free-form properties of custom events: flat primitives, bounded in size. */
export const propsSchema = z
  .record(z.string().min(1).max(64), z.union([text(1024), z.number(), z.boolean(), z.null()]))
  .refine((p) => Object.keys(p).length <= 50, { message: 'at most 50 properties' });

/** Fields every event carries (as in the documented example batch). */
const baseFields = {
  schemaVersion: z.literal(SCHEMA_VERSION),
  id,
  ts: z.iso.datetime({ offset: true }),
  orgKey: key,
  journeyKey: key.optional(),
  sessionId: id,
  clientId: id,
  url: text(4096),
  referrer: text(4096).optional(),
  embedVersion: text(32),
  props: propsSchema.optional(),
};

const ev = <T extends string, S extends z.ZodRawShape>(tag: T, shape: S) =>
  z.object({ _tag: z.literal(tag), ...baseFields, ...shape });

const stepKey = key.optional();
const tourStep = { tourId: key, stepId: key, stepIndex: count };

/** One schema per known event type, keyed by `_tag`. */
export const eventSchemas = {
  session_start: ev('session_start', {}),
  session_end: ev('session_end', { completed: z.boolean(), durationMs: duration }),
  page_view: ev('page_view', { title: text(512).optional() }),
  step_view: ev('step_view', { stepKey: key }),
  field_focus: ev('field_focus', { fieldKey: key, stepKey }),
  field_blur: ev('field_blur', { fieldKey: key, stepKey, durationMs: duration }),
  field_change: ev('field_change', { fieldKey: key, stepKey }),
  validation_error: ev('validation_error', { fieldKey: key, errorType: key, stepKey }),
  submit_attempt: ev('submit_attempt', { stepKey, formKey: key.optional() }),
  submit_success: ev('submit_success', { stepKey, formKey: key.optional() }),
  dropoff_signal: ev('dropoff_signal', { reason: z.enum(DROPOFF_REASONS), stepKey }),
  TourStarted: ev('TourStarted', { tourId: key }),
  StepViewed: ev('StepViewed', tourStep),
  StepCompleted: ev('StepCompleted', tourStep),
  TourCompleted: ev('TourCompleted', { tourId: key }),
  TourDismissed: ev('TourDismissed', { tourId: key, stepId: key.optional(), stepIndex: count.optional() }),
  TourRestarted: ev('TourRestarted', { tourId: key }),
  ContentViewed: ev('ContentViewed', { contentId: key }),
  ContentDismissed: ev('ContentDismissed', { contentId: key }),
  ContentCtaClicked: ev('ContentCtaClicked', { contentId: key, cta: key.optional() }),
  target_not_found: ev('target_not_found', {
    // also at most 1024 UTF-8 bytes: selectors are index keys (counter dimensions), and PostgreSQL
    // refuses an index entry over 2704 bytes (1024 characters of CJK text are 3072 bytes)
    selector: text(1024).min(1).refine((s) => utf8Length(s) <= 1024, { error: (iss) => `expected at most 1024 bytes in UTF-8, got ${utf8Length(iss.input as string)}` }),
    tourId: key.optional(),
    stepId: key.optional(),
    contentId: key.optional(),
    waitedMs: duration.optional(),
  }),
  web_vital: ev('web_vital', {
    name: z.enum(['LCP', 'INP', 'CLS', 'FCP', 'TTFB']),
    value: z.number().nonnegative(),
    rating: z.enum(['good', 'needs-improvement', 'poor']).optional(),
  }),
} as const;

/** Names of every event type the schema knows. */
export type KnownEventType = keyof typeof eventSchemas;
/** Custom event names: a letter, then letters, digits, `_ . : -`, at most 64 characters. */
export const CUSTOM_EVENT_NAME = /^[A-Za-z][\w.:-]{0,63}$/;

/** Schema of a custom event sent through `track(type, props)`. */
export const customEventSchema = z.object({
  _tag: z
    .string()
    .regex(CUSTOM_EVENT_NAME, 'a letter, then letters, digits, _ . : - (64 at most)')
    .refine((t) => !Object.hasOwn(eventSchemas, t), { message: 'is a known event type' }), // not `in`: "toString" is a custom name
  ...baseFields,
});

/** Any event on the wire, discriminated by `_tag`. */
export type KnownEvent = { [K in KnownEventType]: z.infer<(typeof eventSchemas)[K]> }[KnownEventType];
/** A custom event (`_tag` is not a known type; its data is in `props`). */
export type CustomEvent = z.infer<typeof customEventSchema>;
/** Any event on the wire. */
export type WaymarkEvent = KnownEvent | CustomEvent;
/** The event of one known type, e.g. `EventOf<'step_view'>`. */
export type EventOf<K extends KnownEventType> = z.infer<(typeof eventSchemas)[K]>;
/** Fields the tracker fills in on every event. */
export type BaseEventFields = keyof typeof baseFields | '_tag';
/** What a caller supplies for an event of type K (everything but the tracker's own fields). */
export type EventProps<K extends KnownEventType> = Omit<EventOf<K>, BaseEventFields> & {
  props?: Record<string, string | number | boolean | null>;
};

/** The batch context (`context`, plus `env` and the dropped-events counter). */
export const contextSchema = z.object({
  orgKey: key,
  journeyKey: key.optional(),
  language: text(35).optional(),
  deviceClass: z.enum(DEVICE_CLASSES).optional(),
  env: z.enum(ENVIRONMENTS).default('prod'),
  /**
   * Events the SDK lost on the way since its last batch, per reason (`rejected`, `queue_overflow`,
   * `too_old`); a plain number from older SDKs.
   */
  dropped: z.union([count, z.record(z.string().regex(/^[a-z_]{1,32}$/), count)]).optional(),
});
export type BatchContext = z.input<typeof contextSchema>;
export type Environment = (typeof ENVIRONMENTS)[number];
export type DeviceClass = (typeof DEVICE_CLASSES)[number];

/** The envelope of a batch; events are checked one by one by {@link validateBatch}. */
export const batchEnvelopeSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  context: contextSchema,
  events: z.array(z.unknown()).min(1),
});

/** A batch as sent by the SDKs. */
export interface Batch {
  schemaVersion: typeof SCHEMA_VERSION;
  context: BatchContext;
  events: WaymarkEvent[];
}
/** A validated batch, with defaults applied (`env`). */
export interface ValidBatch {
  schemaVersion: typeof SCHEMA_VERSION;
  context: z.output<typeof contextSchema>;
  events: WaymarkEvent[];
}

/** Why a batch was refused: the path of the first bad value and what was wrong with it. */
export interface BatchError {
  /** e.g. `events[3].stepKey` */
  path: string;
  message: string;
  /** index of the first bad event, when the problem is in an event */
  eventIndex?: number;
}

const pathOf = (prefix: string, p: readonly PropertyKey[]) =>
  p.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), prefix);

function firstIssue(prefix: string, err: z.ZodError, eventIndex?: number): BatchError {
  const issue = err.issues[0]!;
  return { path: pathOf(prefix, issue.path), message: issue.message, eventIndex };
}

/**
 * Validates one event; unknown `_tag`s are checked as custom events. Every string, property names
 * included, must be one the stores hold unchanged: no U+0000 (NUL) and no lone UTF-16 surrogate
 * (see {@link unstorableReason}); selectors are also limited to 1024 UTF-8 bytes.
 */
export function validateEvent(
  input: unknown,
  prefix = 'event',
): { ok: true; event: WaymarkEvent } | { ok: false; error: BatchError } {
  const tag = (input as { _tag?: unknown } | null)?._tag;
  if (typeof tag !== 'string') {
    return { ok: false, error: { path: `${prefix}._tag`, message: 'expected an event type string' } };
  }
  const schema = Object.hasOwn(eventSchemas, tag) ? eventSchemas[tag as KnownEventType] : customEventSchema;
  const r = schema.safeParse(input);
  if (!r.success) return { ok: false, error: firstIssue(prefix, r.error) };
  // the string rule, once over the validated event (one pass is cheaper than a check per field)
  const bad = findUnstorable(r.data);
  return bad ? { ok: false, error: { path: `${prefix}.${bad.path}`, message: bad.reason } } : { ok: true, event: r.data as WaymarkEvent };
}

/**
 * Validates a whole batch: the envelope, then every event, and that each event belongs to the
 * batch's org. Returns the first problem found, with a path such as `events[3].stepKey`.
 */
export function validateBatch(input: unknown): { ok: true; batch: ValidBatch } | { ok: false; error: BatchError } {
  const env = batchEnvelopeSchema.safeParse(input);
  if (!env.success) return { ok: false, error: firstIssue('', env.error) };
  const { context, events: raw } = env.data;
  const badContext = findUnstorable(context, 'context');
  if (badContext) return { ok: false, error: { path: badContext.path, message: badContext.reason } };
  const events: WaymarkEvent[] = new Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const r = validateEvent(raw[i], `events[${i}]`);
    if (!r.ok) return { ok: false, error: { ...r.error, eventIndex: i } };
    if (r.event.orgKey !== context.orgKey) {
      return {
        ok: false,
        error: { path: `events[${i}].orgKey`, message: `expected "${context.orgKey}" (the batch's orgKey), got "${r.event.orgKey}"`, eventIndex: i },
      };
    }
    events[i] = r.event;
  }
  return { ok: true, batch: { schemaVersion: SCHEMA_VERSION, context, events } };
}
