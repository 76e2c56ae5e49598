/**
 * The dataset the dashboard tests share: two weeks (2025-05-01..07 the previous period,
 * 2025-05-08..14 the current one) of journeys, tours, a content item, custom events, selector
 * failures, pixel events and live traffic, with hostile strings where an API string is shown.
 * Nothing happens after {@link NOW} (noon of the last day).
 * Every figure the tests check is written next to what produces it.
 */
import { API_KEY, ORG, baseConfig, ev, startHarness, type Harness } from './harness';

export const NOW = Date.UTC(2025, 4, 14, 12, 0, 0);
export const RANGE = { from: '2025-05-08', to: '2025-05-14' };
export const XSS = '<img src=x onerror="window.__xss=1">';
export const SITE = 'shop.example';
export { API_KEY };

type Ev = Record<string, unknown>;
const day = (d: number, h = 10, m = 0) => Date.UTC(2025, 4, d, h, m);

/** A journey session: start, steps, a field with friction, maybe a completion. */
function session(journeyKey: string, id: string, t: number, steps: string[], completed: boolean, extra: Ev[] = []): Ev[] {
  const who = { s: `s_${id}`, c: `c_${id}` };
  const e = (tag: string, at: number, f: Ev = {}) => ({ ...ev(tag, at, f, who), journeyKey });
  const out: Ev[] = [e('session_start', t)];
  steps.forEach((k, i) => out.push(e('step_view', t + (i + 1) * 10_000, { stepKey: k })));
  out.push(e('field_focus', t + 11_000, { fieldKey: 'email', stepKey: 'details' }), e('field_blur', t + 14_000, { fieldKey: 'email', stepKey: 'details', durationMs: 3000 }));
  if (completed) out.push(e('session_end', t + 120_000, { completed: true, durationMs: 120_000 }));
  for (const x of extra) out.push({ ...x, sessionId: who.s, clientId: who.c, journeyKey });
  return out;
}

/** The batches of the dataset: `[env, deviceClass, language, events]`. */
export function dashboardBatches(): [env: string, device: string, language: string, events: Ev[]][] {
  const prod: Ev[] = [];
  const mobile: Ev[] = [];
  // signup, current period: 40 sessions (24 desktop, 16 mobile), 30 complete; steps reached
  // details 40, plan 36, pay 30; 12 validation errors on email; 25 plan_selected custom events
  for (let u = 0; u < 40; u++) {
    const steps = ['details', 'plan', 'pay'].slice(0, u < 30 ? 3 : u < 36 ? 2 : 1);
    const extra = [
      ...(u < 12 ? [ev('validation_error', day(8 + (u % 7), 10, 30), { fieldKey: 'email', errorType: u < 8 ? 'typeMismatch' : 'valueMissing', stepKey: 'details' })] : []),
      ...(u < 25 ? [ev('plan_selected', day(8 + (u % 7), 10, 40), { props: { plan: 'pro' } })] : []),
    ];
    (u < 24 ? prod : mobile).push(...session('signup', `sn${u}`, day(8 + (u % 7), 10, u), steps, u < 30, extra));
  }
  // signup, previous period: 20 sessions, 10 complete
  for (let u = 0; u < 20; u++) prod.push(...session('signup', `sp${u}`, day(1 + (u % 7), 9, u), ['details', 'plan', 'pay'].slice(0, u < 10 ? 3 : 1), u < 10));
  // grant, current only: 5 sessions, 1 completes
  for (let u = 0; u < 5; u++) prod.push(...session('grant', `g${u}`, day(9, 15, u), ['eligibility'], u < 1));
  // tour_123 (the step funnel 200 → 180 → 160 → 90 → 70 users): 200 starts, 70 complete, 100 dismiss
  const reach = [200, 180, 160, 90, 70];
  const steps = ['Welcome', 'Navigate to settings', 'Click the tab', 'Configure', 'Complete'];
  for (let u = 0; u < 200; u++) {
    const who = { c: `user_${u}`, s: `tsess_${u}` };
    let t = day(8 + (u % 7), 8 + (u % 3), u % 60);
    prod.push(ev('TourStarted', t, { tourId: 'tour_123' }, who));
    for (let i = 0; i < 5 && u < reach[i]!; i++) prod.push(ev('StepViewed', (t += 1000), { tourId: 'tour_123', stepId: steps[i], stepIndex: i }, who));
    if (u < 70) prod.push(ev('TourCompleted', (t += 1000), { tourId: 'tour_123' }, who));
    else if (u < 170) prod.push(ev('TourDismissed', (t += 1000), { tourId: 'tour_123' }, who));
  }
  // tour_123 in the previous period: 100 starts, 50 completions
  for (let u = 0; u < 100; u++) {
    const who = { c: `old_${u}`, s: `osess_${u}` };
    prod.push(ev('TourStarted', day(1 + (u % 7), 9), { tourId: 'tour_123' }, who));
    if (u < 50) prod.push(ev('TourCompleted', day(1 + (u % 7), 9, 5), { tourId: 'tour_123' }, who));
  }
  // a hostile tour id: 12 starts
  for (let u = 0; u < 12; u++) prod.push(ev('TourStarted', day(10, 9, u), { tourId: XSS }, { c: `x_${u}` }));
  // 9 selector failures of tour_123, with a hostile selector
  for (let u = 0; u < 9; u++) prod.push(ev('target_not_found', day(11, 10, u), { tourId: 'tour_123', stepId: 'Configure', selector: '<b>#advanced</b>', waitedMs: 3000 }, { c: `user_${u}` }));
  // banner_1: current 100 views, 20 dismissals, 15 CTA clicks (learn-more 10, buy 5); previous 50 views, 5 clicks
  for (let u = 0; u < 100; u++) {
    const who = { c: `v_${u}` };
    prod.push(ev('ContentViewed', day(8 + (u % 7), 9), { contentId: 'banner_1' }, who));
    if (u < 20) prod.push(ev('ContentDismissed', day(8 + (u % 7), 9, 1), { contentId: 'banner_1' }, who));
    if (u < 15) prod.push(ev('ContentCtaClicked', day(8 + (u % 7), 9, 2), { contentId: 'banner_1', cta: u < 10 ? 'learn-more' : 'buy' }, who));
  }
  for (let u = 0; u < 50; u++) {
    prod.push(ev('ContentViewed', day(1 + (u % 7), 12), { contentId: 'banner_1' }, { c: `pv_${u}` }));
    if (u < 5) prod.push(ev('ContentCtaClicked', day(1 + (u % 7), 12, 2), { contentId: 'banner_1', cta: 'buy' }, { c: `pv_${u}` }));
  }
  // 7 custom events without a journey
  for (let u = 0; u < 7; u++) prod.push(ev('coupon_applied', day(13, 14, u), { props: { code: 'SPRING' } }, { c: `cp_${u}` }));
  // live: 6 events in the last 5 minutes before NOW (11:56..11:59), 3 older ones (11:40)
  for (let u = 0; u < 6; u++) prod.push(ev('page_view', Date.UTC(2025, 4, 14, 11, 56 + (u % 4)), { title: 'Live' }, { c: 'live', s: 'live_s' }));
  for (let u = 0; u < 3; u++) prod.push(ev('page_view', Date.UTC(2025, 4, 14, 11, 40), { title: 'Earlier' }, { c: 'live', s: 'live_s' }));
  // dev: 12 signup sessions, none complete
  const dev: Ev[] = [];
  for (let u = 0; u < 12; u++) dev.push(...session('signup', `d${u}`, day(12, 16, u), ['details'], false));
  return [['prod', 'desktop', 'en-GB', prod], ['prod', 'mobile', 'de-DE', mobile], ['dev', 'desktop', 'en-GB', dev]];
}

/** Pixel hits of the site: 3 sessions of 2 users, 5 events, titles Home ×3 and Pricing ×2. */
export const PIXEL_HITS = [
  `si=${SITE}&title=Home&sid=ps1&uid=pu1`,
  `si=${SITE}&title=Pricing&sid=ps1&uid=pu1`,
  `si=${SITE}&title=Home&sid=ps2&uid=pu1`,
  `si=${SITE}&title=Home&sid=ps3&uid=pu2`,
  `si=${SITE}&title=Pricing&sid=ps3&uid=pu2&ref=${encodeURIComponent(XSS)}`,
];

/** Posts a batch with a device class and language in its context. */
async function post(h: Harness, env: string, deviceClass: string, language: string, events: Ev[]) {
  for (let i = 0; i < events.length; i += 500) {
    const r = await fetch(`${h.url}/v1/sdk/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ schemaVersion: 1, context: { orgKey: ORG, env, deviceClass, language }, events: events.slice(i, i + 500) }),
    });
    if (r.status !== 204) throw new Error(`ingest answered ${r.status}: ${await r.text()}`);
  }
}

/** A collector with the dataset loaded, its clock at {@link NOW}. */
export async function startSeededHarness(): Promise<Harness> {
  const config = baseConfig();
  config.orgs![0]!.sites = [SITE];
  const h = await startHarness({ config, now: () => NOW });
  for (const [env, device, language, events] of dashboardBatches()) await post(h, env, device, language, events);
  for (const q of PIXEL_HITS) {
    const r = await fetch(`${h.url}/pixel.gif?${q}`);
    await r.arrayBuffer();
    if (r.status !== 200) throw new Error(`pixel answered ${r.status}`);
  }
  return h;
}
