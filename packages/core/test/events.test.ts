import { describe, expect, it } from 'vitest';
import { validateBatch, validateEvent } from '@waymark/core/schema';
import seed from './fixtures/seed-batch.json';

const clone = <T>(v: T): T => structuredClone(v);

describe('validateBatch', () => {
  it("accepts the documented example batch and defaults env to prod", () => {
    const r = validateBatch(seed);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.batch.context.env).toBe('prod');
      expect(r.batch.events.map((e) => e._tag)).toEqual(['session_start', 'step_view']);
    }
  });

  it('names the first bad event and field', () => {
    const bad = clone(seed);
    delete (bad.events[1] as Record<string, unknown>).stepKey;
    const r = validateBatch(bad);
    expect(r).toMatchObject({ ok: false, error: { path: 'events[1].stepKey', eventIndex: 1 } });
  });

  it('refuses an event of another org than the batch', () => {
    const bad = clone(seed);
    bad.events[0]!.orgKey = 'other';
    const r = validateBatch(bad);
    expect(r).toMatchObject({ ok: false, error: { path: 'events[0].orgKey' } });
  });

  it('refuses a wrong envelope with its path', () => {
    expect(validateBatch({ ...seed, schemaVersion: 2 })).toMatchObject({ ok: false, error: { path: 'schemaVersion' } });
    expect(validateBatch({ ...seed, events: [] })).toMatchObject({ ok: false, error: { path: 'events' } });
    expect(validateBatch(null)).toMatchObject({ ok: false });
  });

  it('strips fields the schema does not know, so nothing unexpected is stored', () => {
    const extra = clone(seed);
    (extra.events[0] as Record<string, unknown>).fieldValue = 'secret';
    const r = validateBatch(extra);
    expect(r.ok && 'fieldValue' in r.batch.events[0]!).toBe(false);
  });
});

describe('validateEvent', () => {
  const base = seed.events[0]!;
  it('accepts custom events with props and refuses bad names', () => {
    expect(validateEvent({ ...base, _tag: 'custom_event_type', props: { key: 'value' } }).ok).toBe(true);
    expect(validateEvent({ ...base, _tag: '1bad name' }).ok).toBe(false);
    expect(validateEvent({ ...base, _tag: 'custom', props: { k: { nested: 1 } } }).ok).toBe(false);
  });
  it('checks the fields of tour events', () => {
    expect(validateEvent({ ...base, _tag: 'StepViewed', tourId: 't', stepId: 's', stepIndex: 0 }).ok).toBe(true);
    expect(validateEvent({ ...base, _tag: 'StepViewed', tourId: 't', stepId: 's', stepIndex: -1 })).toMatchObject({
      ok: false,
      error: { path: 'event.stepIndex' },
    });
  });
});
