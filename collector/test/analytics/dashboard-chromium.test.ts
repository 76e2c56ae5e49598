/**
 * The dashboard in real Chromium (playwright-core, /usr/bin/chromium): sign in with the API key
 * (kept in sessionStorage, never in the URL), read the numbers of a seeded dataset in every view,
 * render hostile strings as text, run under the strict CSP without a violation, and save a
 * screenshot to `artifacts/dashboard.png` at the repository root.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../../tooling/chromium';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, ev, postAll, startHarness, type Harness } from './harness';

const ARTIFACTS = fileURLToPath(new URL('../../../artifacts/', import.meta.url));
const XSS = '<img src=x onerror="window.__xss=1">';
let h: Harness;
let browser: Browser;
let page: Page;
const problems: string[] = [];

/** The documented funnel: 200 → 180 → 160 → 90 → 70 users; 70 complete, 100 dismiss. */
function seedFunnel(): Record<string, unknown>[] {
  const reach = [200, 180, 160, 90, 70];
  const steps = ['Welcome', 'Navigate to settings', 'Click the tab', 'Configure', 'Complete'];
  const out: Record<string, unknown>[] = [];
  for (let u = 0; u < 200; u++) {
    const who = { c: `user_${u}`, s: `sess_${u}` };
    let t = Date.UTC(2025, 4, 1 + (u % 7), 8 + (u % 10), u % 60);
    out.push(ev('TourStarted', t, { tourId: 'tour_123' }, who));
    for (let i = 0; i < 5 && u < reach[i]!; i++) out.push(ev('StepViewed', (t += 1000), { tourId: 'tour_123', stepId: steps[i], stepIndex: i }, who));
    if (u < 70) out.push(ev('TourCompleted', (t += 1000), { tourId: 'tour_123' }, who));
    else if (u < 170) out.push(ev('TourDismissed', (t += 1000), { tourId: 'tour_123' }, who));
  }
  for (let u = 0; u < 12; u++) out.push(ev('TourStarted', Date.UTC(2025, 4, 2, 9, u), { tourId: XSS }, { c: `x_${u}` }));
  for (let u = 0; u < 9; u++) out.push(ev('target_not_found', Date.UTC(2025, 4, 3, 10, u), { tourId: 'tour_123', stepId: 'Configure', selector: `<b>#advanced</b>` }, { c: `user_${u}` }));
  for (let u = 0; u < 40; u++) {
    const who = { c: `j_${u}`, s: `js_${u}` };
    const t = Date.UTC(2025, 4, 4, 12, u);
    out.push({ ...ev('session_start', t, {}, who), journeyKey: 'signup' });
    out.push({ ...ev('step_view', t + 1000, { stepKey: 'details' }, who), journeyKey: 'signup' });
    out.push({ ...ev('field_focus', t + 2000, { fieldKey: 'email' }, who), journeyKey: 'signup' });
    if (u < 30) out.push({ ...ev('session_end', t + 60_000, { completed: true, durationMs: 60_000 }, who), journeyKey: 'signup' });
  }
  return out;
}

beforeAll(async () => {
  h = await startHarness();
  await postAll(h, seedFunnel());
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(String(e)));
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

async function setRange(p: Page) {
  await p.fill('#date-from', '2025-05-01');
  await p.fill('#date-to', '2025-05-07');
  await p.click('#refresh');
}
const text = (sel: string) => page.locator(sel).first().innerText();

describe('dashboard in Chromium', () => {
  it('serves the page under a strict CSP and signs in without putting the key in a URL', async () => {
    const res = await page.goto(`${h.url}/dashboard`);
    const csp = res!.headers()['content-security-policy']!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    await page.fill('#api-key', API_KEY);
    await page.click('#sign-in button[type=submit]');
    await page.waitForSelector('#app:not([hidden])');
    expect(await page.isHidden('#sign-in')).toBe(true);
    expect(await page.evaluate(() => sessionStorage.getItem('waymark.dashboard.apiKey'))).toBe(API_KEY);
    expect(page.url()).not.toContain(API_KEY);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
  });

  it('overview shows the seeded numbers, hostile ids as text', async () => {
    await setRange(page);
    await page.waitForSelector('#view[data-view=overview][aria-busy=false]');
    expect(await text('[data-testid=active-tours]')).toBe('2');
    // 70 completions / 212 starts
    expect(await text('[data-testid=completion-rate]')).toBe('33%');
    expect(await text('[data-testid=top-tour]')).toBe('tour_123');
    expect(await page.locator('td', { hasText: XSS }).count()).toBe(1);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator('#view img').count()).toBe(0);
  });

  it('tour detail: totals, trend chart and the funnel with its drop-off marker', async () => {
    await page.click('td >> text=tour_123');
    await page.waitForSelector('#view[data-view=tour][aria-busy=false]');
    expect(await text('[data-testid=tour-starts]')).toBe('200');
    expect(await text('[data-testid=tour-completions]')).toBe('70');
    expect(await text('[data-testid=tour-rate]')).toBe('35%');
    expect(await page.locator('svg[aria-label="Daily starts and completion rate"] rect.bar').count()).toBe(7);
    const marker = page.locator('[data-testid=dropoff-marker]');
    expect(await marker.count()).toBe(1);
    expect(await page.locator('svg[aria-label="Step funnel"] text', { hasText: '45% (90 users)' }).count()).toBe(1);
    expect(await page.locator('td', { hasText: 'Configure ◀ drop-off' }).count()).toBe(1);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}dashboard.png`, fullPage: true });
  });

  it('selector health with drill-down, journeys and export', async () => {
    await page.click('#nav button[data-view=selectors]');
    await page.waitForSelector('#view[data-view=selectors][aria-busy=false]');
    expect(await text('[data-testid=failures]')).toBe('9');
    await page.click('td >> text=<b>#advanced</b>');
    await page.waitForSelector('text=Failures of tour tour_123 (9)');
    expect(await page.locator('#view b').count()).toBe(0);

    await page.click('#nav button[data-view=journey]');
    await page.fill('#journey-key', 'signup');
    await page.click('#view button');
    await page.waitForSelector('[data-testid=journey-sessions]');
    expect(await text('[data-testid=journey-sessions]')).toBe('40');
    expect(await text('[data-testid=journey-rate]')).toBe('75%');
    expect(await text('[data-testid=journey-median]')).toBe('1 min 0 s');

    await page.click('#nav button[data-view=export]');
    await page.waitForSelector('#export-go');
    const download = page.waitForEvent('download');
    await page.click('#export-go');
    await download;
    await page.waitForSelector('#export-status >> text=/Exported \\d+ bytes/');
    expect(problems).toEqual([]);
  });
});
