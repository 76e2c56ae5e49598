import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTracker, createMemoryStorage } from '@waymark/core';
import { validateBatch } from '@waymark/core/schema';
import { platform, settle, tags } from './helpers';

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-01-15T10:30:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

const base = { org: 'your-org-slug', journey: 'grant-application', endpoint: 'https://x.test/api/ingest' };

describe('createTracker', () => {
  it('builds batches in the seed format that pass validateBatch', async () => {
    const p = platform({ storage: createMemoryStorage() });
    const t = createTracker({ ...base, platform: p, version: '1.0.0' });
    t.track('step_view', { stepKey: 'eligibility-check' });
    t.track('custom_event_type', { key: 'value' });
    await t.flush();
    expect(p.transport.sent).toHaveLength(1);
    const b = p.transport.sent[0]!;
    expect(validateBatch(b)).toMatchObject({ ok: true });
    expect(b.context).toEqual({ orgKey: 'your-org-slug', journeyKey: 'grant-application', language: 'en-US', deviceClass: 'desktop', env: 'prod' });
    expect(tags(b)).toEqual(['session_start', 'step_view', 'custom_event_type']);
    expect(b.events[1]).toMatchObject({ stepKey: 'eligibility-check', sessionId: t.sessionId, clientId: t.clientId, embedVersion: '1.0.0' });
    expect(b.events[2]).toMatchObject({ props: { key: 'value' } });
    expect(b.events[0]!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('flushes by count', async () => {
    const p = platform();
    const t = createTracker({ ...base, platform: p, flushAt: 3 });
    t.track('step_view', { stepKey: 'a' });
    await settle();
    expect(p.transport.sent).toHaveLength(0);
    t.track('step_view', { stepKey: 'b' });
    await settle();
    expect(p.transport.sent.map(tags)).toEqual([['session_start', 'step_view', 'step_view']]);
  });
});
