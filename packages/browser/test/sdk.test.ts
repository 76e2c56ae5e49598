// @vitest-environment happy-dom
import { createMemoryQueueStore, type WaymarkEvent } from '@waymark/core';
import { validateEvent } from '@waymark/core/schema';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';

type Sdk = typeof import('../src/index');
let sdk: Sdk;
let events: WaymarkEvent[];
let bodies: string[];

beforeEach(async () => {
  vi.resetModules(); // init() keeps one tracker per page: a fresh module per test
  sdk = await import('../src/index');
  events = [];
  bodies = [];
  localStorage.clear();
});
afterEach(async () => {
  await sdk.getTracker()?.shutdown();
  document.body.innerHTML = '';
});

const options = (extra: object = {}) => ({
  org: 'acme',
  journey: 'signup',
  endpoint: 'http://127.0.0.1:9/api/ingest',
  beforeSend: (e: WaymarkEvent) => (events.push(e), e),
  platform: {
    transport: { send: async (b: string) => (bodies.push(b), { status: 'delivered' as const }) },
    queueStore: createMemoryQueueStore(),
  },
  ...extra,
});
const tags = () => events.map((e) => e._tag);

describe('init', () => {
  test('starts the session and auto-tracking; a second call returns the first tracker', () => {
    const t = sdk.init(options());
    expect(sdk.init(options({ org: 'other' }))).toBe(t);
    expect(sdk.getTracker()).toBe(t);
    expect(tags().slice(0, 2)).toEqual(['session_start', 'page_view']);
    expect(t.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(t.options.org).toBe('acme');
  });

  test('track() before init is kept and replayed in order', () => {
    expect(sdk.track('early_one', { n: 1 })).toBeNull();
    sdk.track('early_two');
    sdk.init(options());
    expect(tags()).toEqual(['session_start', 'page_view', 'early_one', 'early_two']);
    expect(sdk.track('later')).toMatchObject({ _tag: 'later' });
  });

  test('misconfiguration throws "expected …, got …"', () => {
    expect(() => sdk.init(options({ org: '' }))).toThrow(/expected/);
    expect(() => sdk.init(options({ autoTrack: 'yes' }))).toThrow('expected autoTrack to be a boolean or an object, got "yes"');
    expect(() => sdk.init(options({ submitSuccessOn: 'click' }))).toThrow(/expected submitSuccessOn/);
    expect(sdk.getTracker()).toBeUndefined();
  });

  test('autoTrack: false records only what the app tracks', () => {
    document.body.innerHTML = '<div data-journey-step="a"><input name="x"></div>';
    const t = sdk.init(options({ autoTrack: false }));
    document.querySelector('input')!.focus();
    expect(tags()).toEqual(['session_start']);
    t.step('b');
    expect(tags()).toEqual(['session_start', 'step_view']);
  });

  test('journey methods: step, validationError, submitSuccess, completeJourney', () => {
    const t = sdk.init(options({ autoTrack: false }));
    t.step('eligibility');
    t.step('eligibility');
    t.validationError('email', 'typeMismatch');
    t.submitSuccess();
    t.submitSuccess('review');
    t.completeJourney();
    expect(events.slice(1).map((e) => [e._tag, (e as { stepKey?: string }).stepKey])).toEqual([
      ['step_view', 'eligibility'],
      ['validation_error', 'eligibility'],
      ['submit_success', 'eligibility'],
      ['submit_success', 'review'],
      ['session_end', undefined],
    ]);
    expect(events[2]).toMatchObject({ fieldKey: 'email', errorType: 'typeMismatch' });
  });

  test('tour and content helpers emit the documented tour and content events, valid on the wire', async () => {
    const t = sdk.init(options({ autoTrack: false }));
    const tour = t.tour('onboarding');
    tour.started();
    tour.stepViewed('welcome', 0);
    tour.stepCompleted('welcome', 0);
    tour.dismissed('profile', 1);
    tour.restarted();
    tour.completed();
    const c = t.content('banner-42');
    c.viewed();
    c.ctaClicked('learn-more');
    c.dismissed();
    expect(tags().slice(1)).toEqual([
      'TourStarted', 'StepViewed', 'StepCompleted', 'TourDismissed', 'TourRestarted', 'TourCompleted',
      'ContentViewed', 'ContentCtaClicked', 'ContentDismissed',
    ]);
    expect(events[2]).toMatchObject({ tourId: 'onboarding', stepId: 'welcome', stepIndex: 0 });
    expect(events[8]).toMatchObject({ contentId: 'banner-42', cta: 'learn-more' });
    for (const e of events) expect(validateEvent(JSON.parse(JSON.stringify(e))).ok).toBe(true);
    await t.flush();
    expect(bodies).toHaveLength(1);
    expect(JSON.parse(bodies[0]!).events).toHaveLength(10);
  });

  test('the events carry the SDK version; the batch context language and deviceClass', async () => {
    const t = sdk.init(options());
    await t.flush();
    const batch = JSON.parse(bodies[0]!);
    expect(batch.context).toMatchObject({ orgKey: 'acme', journeyKey: 'signup', env: 'prod', language: navigator.language, deviceClass: 'desktop' });
    expect(batch.events[0].embedVersion).toBe(sdk.VERSION);
  });
});

describe('resolveTarget', () => {
  const setup = () => sdk.init(options({ autoTrack: false }));

  test('an element already there resolves at once, nothing is reported', async () => {
    const t = setup();
    document.body.innerHTML = '<button id="save">Save</button>';
    expect(await sdk.resolveTarget('#save', { tracker: t })).toBe(document.querySelector('#save'));
    expect(tags()).not.toContain('target_not_found');
  });

  test('an element rendered late is waited for', async () => {
    const t = setup();
    setTimeout(() => (document.body.innerHTML = '<div class="late"></div>'), 30);
    const el = await sdk.resolveTarget('.late', { tracker: t, timeoutMs: 2000 });
    expect(el?.className).toBe('late');
    expect(tags()).not.toContain('target_not_found');
  });

  test('a missing element resolves to null after the timeout and reports target_not_found', async () => {
    const t = setup();
    const el = await sdk.resolveTarget('#nope', { tracker: t, timeoutMs: 50, tourId: 'onboarding', stepId: 'save' });
    expect(el).toBeNull();
    const e = events.find((x) => x._tag === 'target_not_found') as Record<string, unknown>;
    expect(e).toMatchObject({ selector: '#nope', tourId: 'onboarding', stepId: 'save' });
    expect(e.waitedMs).toBeGreaterThanOrEqual(45);
  });

  test('an invalid selector resolves to null at once and is reported, never thrown', async () => {
    const t = setup();
    expect(await sdk.resolveTarget('##bad[', { tracker: t, contentId: 'c1' })).toBeNull();
    expect(events.find((x) => x._tag === 'target_not_found')).toMatchObject({ selector: '##bad[', contentId: 'c1' });
  });

  test('looks only under root', async () => {
    const t = setup();
    document.body.innerHTML = '<div id="a"><p class="x"></p></div><div id="b"></div>';
    const root = document.querySelector('#b')!;
    expect(await sdk.resolveTarget('.x', { tracker: t, root, timeoutMs: 20 })).toBeNull();
  });
});
