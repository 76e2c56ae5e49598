/**
 * Every dashboard view in real Chromium (playwright-core, /usr/bin/chromium) on the shared
 * dataset: the figures on screen equal the API's answers, hostile strings stay text, the strict
 * CSP holds (no violation), axe-core finds no serious or critical issue, the URL bookmarks the
 * view, and full-page screenshots at 1280 px and 390 px go to `artifacts/` at the repository root.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../tooling/chromium';
import { findDashboardAssets } from '../../src/dashboard/router';
import type { Harness } from './harness';
import { API_KEY, NOW, SITE, XSS, startSeededHarness } from './dashboard-seed';

const ARTIFACTS = fileURLToPath(new URL('../../../artifacts/', import.meta.url));
const WEEK = 'range=7d';
let h: Harness;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];

const VIEWS: [name: string, query: string][] = [
  ['home', `?${WEEK}`],
  ['journey', `?view=journey&id=signup&${WEEK}`],
  ['journey-24h', '?view=journey&id=signup&range=24h'],
  ['tour', `?view=tour&id=tour_123&${WEEK}`],
  ['content', `?view=content&id=banner_1&${WEEK}`],
  ['site', `?view=site&id=${SITE}&${WEEK}`],
  ['selectors', `?view=selectors&kind=tour&id=tour_123&${WEEK}`],
  ['events', `?view=events&${WEEK}`],
  ['live', `?view=live&${WEEK}`],
  ['export', `?view=export&${WEEK}`],
];

beforeAll(async () => {
  if (!findDashboardAssets()) throw new Error('the dashboard is not built: run `npm run build -w @waymark/collector` first');
  h = await startSeededHarness();
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  // the browser's clock at the dataset's "now", so that the 7-day preset is 2025-05-08..14
  await page.clock.setFixedTime(new Date(NOW));
  await page.addInitScript(() => {
    (window as unknown as { __csp: string[] }).__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(String(e)));
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

const api = async (path: string) => (await h.admin(path)).body.data;
const text = (sel: string) => page.locator(sel).first().innerText();
/** Waits until the view on screen is the finished render of the page's current URL (not the one before a click). */
const settled = () =>
  page.waitForFunction(() => {
    const v = document.getElementById('view');
    return v?.getAttribute('aria-busy') === 'false' && v.dataset.search === location.search;
  });

async function open(query: string) {
  await page.goto(`${h.url}/dashboard${query}`);
  await settled();
  // charts are drawn once their box has a width
  await page.waitForFunction(() => [...document.querySelectorAll('.chart, .spark')].every((c) => c.querySelector('canvas')));
}

describe('dashboard in Chromium', () => {
  it('serves the page under a strict CSP and signs in with the key alone, never putting it in a URL', async () => {
    const res = await page.goto(`${h.url}/dashboard?${WEEK}`);
    const csp = res!.headers()['content-security-policy']!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    await page.fill('#api-key', API_KEY);
    await page.click('#sign-in button[type=submit]');
    await page.waitForSelector('#view[data-view=home][aria-busy=false]');
    expect(await page.evaluate(() => sessionStorage.getItem('waymark.dashboard.apiKey'))).toBe(API_KEY);
    expect(page.url()).not.toContain(API_KEY);
    expect(page.url()).toContain('env=prod'); // the busiest environment, written into the URL
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
  });

  it('home: every entity with the API figures, the environment counts, the live figure; hostile ids as text', async () => {
    await open(`?${WEEK}`);
    const d = await api('/analytics/entities?date_from=2025-05-08&date_to=2025-05-14');
    for (const sec of d.sections) {
      for (const item of sec.items) {
        const row = page.locator('tr', { has: page.locator('a.entity', { hasText: item.id }) });
        expect(await row.count(), item.id).toBe(1);
        expect(await row.locator('td').nth(1).locator('strong').innerText(), item.id).toBe(item.traffic.toLocaleString('en-US'));
        if (sec.rate_metric) expect(await row.locator('td').nth(2).innerText(), item.id).toContain(item.rate === null ? '—' : `${item.rate} %`);
      }
    }
    expect(await page.locator('a.entity').count()).toBe(d.sections.reduce((n: number, s: { items: unknown[] }) => n + s.items.length, 0));
    const envs = await api('/analytics/environments?date_from=2025-05-08&date_to=2025-05-14');
    for (const e of envs.environments) expect(await text(`[data-testid=env-count-${e.env}]`)).toBe(e.events.toLocaleString('en-US'));
    expect(await text('[data-testid=live-events]')).toBe(String((await api('/analytics/live')).events));
    expect(await page.locator('a.entity', { hasText: XSS }).count()).toBe(1);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator('#view img').count()).toBe(0);
  });

  it('home: an environment without data says where the data is, one click away', async () => {
    await open(`?${WEEK}&env=staging`);
    expect(await text('[data-testid=env-notice]')).toContain('prod has');
    await page.click('[data-testid=env-notice] button');
    await page.waitForURL(/env=prod/);
    await settled();
    expect(await page.locator('[data-testid=env-notice]').count()).toBe(0);
  });

  it('journey detail: the API figures and the largest drop-off flagged', async () => {
    await open(`?view=journey&id=signup&${WEEK}`);
    const d = await api('/analytics/journeys/signup?date_from=2025-05-08&date_to=2025-05-14');
    expect(await text('[data-testid=journey-sessions]')).toBe(String(d.sessions));
    expect(await text('[data-testid=journey-rate]')).toBe(`${d.completion_rate} %`);
    // the median is a sketch estimate (within 1 % of the exact 2 min), shown with ≈
    expect(await text('[data-testid=journey-median]')).toMatch(/^≈ (1 min 59 s|2 min 0 s|2 min 1 s)$/);
    for (const s of d.steps) expect(await page.locator('.bars .bar-label', { hasText: s.step_key }).count(), s.step_key).toBe(1);
    expect(await page.locator('.bars .fill.flag').count()).toBe(1);
    expect(await page.locator('[data-testid=journey-worst]').count()).toBe(1);
    for (const f of d.fields) expect(await page.locator('td', { hasText: f.field_key }).count()).toBeGreaterThan(0);
    expect(await page.locator('td', { hasText: 'typeMismatch: 8, valueMissing: 4' }).count()).toBe(1);
  });

  it('tour detail: totals, trend chart (no 0 % on a day without starts), funnel with its drop-off marker', async () => {
    await open(`?view=tour&id=tour_123&${WEEK}`);
    const d = await api('/analytics/tours/tour_123?date_from=2025-05-08&date_to=2025-05-14');
    expect(await text('[data-testid=tour-starts]')).toBe(String(d.totals.starts));
    expect(await text('[data-testid=tour-completions]')).toBe(String(d.totals.completions));
    expect(await text('[data-testid=tour-rate]')).toBe(`${d.totals.completion_rate} %`);
    expect(await page.locator('[data-testid=dropoff-marker]').count()).toBe(1);
    expect(await page.locator('.bars .bar-figure', { hasText: '45 % (90 users)' }).count()).toBe(1);
    // a range with days without starts: the chart gets null (a gap), the cards no 0 %
    await open('?view=tour&id=tour_123&from=2025-05-14&to=2025-05-20');
    expect(await page.locator('.chart canvas').count()).toBeGreaterThan(0);
    const [starts, rates] = JSON.parse((await page.locator('figure[data-series]').first().getAttribute('data-series'))!);
    const week = await api('/analytics/tours/tour_123?date_from=2025-05-14&date_to=2025-05-20');
    expect(starts).toEqual(week.daily.map((x: { starts: number }) => x.starts));
    // the API says 0 % on the six days without starts; the chart has gaps there
    expect(week.daily.slice(1).map((x: { completion_rate: number }) => x.completion_rate)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(rates).toEqual([week.daily[0].completion_rate, null, null, null, null, null, null]);
  });

  it('content, pixel site, selector drill-down, custom events, live and export: the API figures', async () => {
    await open(`?view=content&id=banner_1&${WEEK}`);
    const c = await api('/analytics/content/banner_1?date_from=2025-05-08&date_to=2025-05-14');
    expect(await text('[data-testid=content-views]')).toBe(String(c.totals.views));
    expect(await text('[data-testid=content-clicks]')).toBe(String(c.totals.cta_clicks));
    expect(await text('[data-testid=content-ctr]')).toBe(`${c.totals.click_through_rate} %`);

    await open(`?view=site&id=${SITE}&${WEEK}`);
    const s = await api(`/analytics/sites/${SITE}?date_from=2025-05-08&date_to=2025-05-14`);
    expect([await text('[data-testid=site-events]'), await text('[data-testid=site-sessions]'), await text('[data-testid=site-users]')]).toEqual([s.events, s.sessions, s.users].map(String));
    expect(await page.locator('.values .mono', { hasText: XSS }).count()).toBe(1);

    await open(`?view=selectors&kind=tour&id=tour_123&${WEEK}`);
    expect(await text('[data-testid=failures]')).toBe('9');
    await page.waitForSelector('text=Failures of tour tour_123 (9)');
    expect(await page.locator('#view b').count()).toBe(0);
    expect(await page.locator('code', { hasText: '<b>#advanced</b>' }).count()).toBeGreaterThan(1);

    await open(`?view=events&${WEEK}`);
    const e = await api('/analytics/custom-events?date_from=2025-05-08&date_to=2025-05-14');
    expect(await text('[data-testid=custom-total]')).toBe(String(e.total));
    for (const t of e.types) expect(await page.locator('td .mono', { hasText: t.type }).count()).toBe(1);

    await open('?view=live');
    const latest = (await h.admin('/activity/latest?limit=50')).body.data;
    expect(await page.locator('#view tbody tr').count()).toBe(latest.length);
    // a user's link filters the feed to that user (the activity feed by user)
    expect(await page.locator('#view tbody tr').first().locator('td[data-label=User] a').innerText()).toBe(latest[0].client_id);
    await page.locator('#view tbody tr').first().locator('td[data-label=User] a').click();
    await page.waitForURL(/kind=user/);
    await settled();
    const mine = (await h.admin(`/activity/users/${latest[0].client_id}?limit=50`)).body.data;
    expect(await page.locator('#view tbody tr').count()).toBe(mine.length);

    await open(`?view=export&${WEEK}`);
    const download = page.waitForEvent('download');
    await page.click('#export-go');
    await download;
    await page.waitForSelector('#export-status >> text=/Exported \\d+ bytes/');
  });

  it('an unknown journey says so, with the key', async () => {
    const seen = problems.length;
    await page.goto(`${h.url}/dashboard?view=journey&id=sigup&env=prod`);
    await settled();
    expect(await text('.error-panel')).toContain('unknown journey "sigup"');
    // Chromium logs the API's 404 itself: that one was expected
    expect(problems.splice(seen)).toEqual(['Failed to load resource: the server responded with a status of 404 (Not Found)']);
  });

  it('refreshes on its own while visible: a new event shows up without a reload', async () => {
    await open(`?${WEEK}`);
    const before = Number(await text('[data-testid=live-events]'));
    await fetch(`${h.url}/v1/sdk/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ schemaVersion: 1, context: { orgKey: 'acme', env: 'prod' }, events: [{ _tag: 'page_view', schemaVersion: 1, id: 'evt_refresh_1', ts: new Date(NOW).toISOString(), orgKey: 'acme', sessionId: 's_r', clientId: 'c_r', url: 'https://app.example.com/', embedVersion: '1.0.0' }] }),
    });
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid=live-events]')?.textContent) === n + 1, before, { timeout: 15_000 });
  });

  it('every view: no CSP violation, no serious or critical axe issue, keyboard reachable, screenshots at 1280 and 390 px', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      for (const [name, query] of VIEWS) {
        await open(query);
        const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
        const bad = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${name}@${width}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
        expect(bad).toEqual([]);
        // nothing wider than the viewport (tables stack at 390 px)
        expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name}@${width}`).toBeLessThanOrEqual(width);
        await page.screenshot({ path: `${ARTIFACTS}dashboard-${name}-${width}.png`, fullPage: true });
      }
    }
    expect(existsSync(`${ARTIFACTS}dashboard-home-390.png`)).toBe(true);
    // the first Tab offers to skip to the view; views are links and buttons, all reachable
    await page.setViewportSize({ width: 1280, height: 900 });
    await open(`?${WEEK}`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to the view');
    for (let i = 0; i < 30 && !(await page.evaluate(() => document.activeElement?.matches('a.entity'))); i++) await page.keyboard.press('Tab');
    const first = await page.evaluate(() => document.activeElement?.textContent);
    await page.keyboard.press('Enter');
    await page.waitForURL(/view=journey/);
    expect(first).toBe('signup');
    expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
    expect(problems).toEqual([]);
  }, 180_000);
});
