/**
 * A signed-in dashboard tab in real Chromium over a harness, and readers for what the page shows
 * (cards, table rows, bar rows, chart series), so tests compare the page with the API's JSON.
 */
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../../tooling/chromium';
import { findDashboardAssets } from '../../src/dashboard/router';
import { API_KEY, type Harness } from './harness';

export interface DashboardTab {
  h: Harness;
  page: Page;
  /** console errors, page errors and CSP violations seen so far */
  problems: string[];
  /** `data` of an admin API answer (the org's key) */
  api(path: string): Promise<any>;
  /** opens a dashboard URL and waits for its finished render with every chart drawn */
  open(query: string): Promise<void>;
  /** waits until the view on screen is the finished render of the current URL */
  settled(): Promise<void>;
  text(selector: string): Promise<string>;
  /** the body rows of the view's table with this caption, each a list of cell texts */
  rows(caption: string): Promise<string[][]>;
  /** the rows of the bar list with this label: `[label, figure]` */
  bars(label: string): Promise<[string, string][]>;
  /** the values behind the first chart whose label starts with `aria` (null is a gap) */
  series(aria: string): Promise<(number | null)[][]>;
  close(): Promise<void>;
}

/** A Chromium tab signed in to the harness's dashboard, its clock fixed at `now`. */
export async function openDashboardTab(h: Harness, now: number, width = 1280): Promise<DashboardTab> {
  if (!findDashboardAssets()) throw new Error('the dashboard is not built: run `npm run build -w @waymark/collector` first');
  const browser: Browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  await page.clock.setFixedTime(new Date(now));
  await context.addInitScript((key) => {
    sessionStorage.setItem('waymark.dashboard.apiKey', key);
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP ${e.violatedDirective} ${e.blockedURI}`));
  }, API_KEY);
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(String(e)));
  const settled = async () => {
    await page.waitForFunction(() => {
      const v = document.getElementById('view');
      return v?.getAttribute('aria-busy') === 'false' && v.dataset.search === location.search;
    });
  };
  return {
    h, page, problems, settled,
    api: async (path) => {
      const r = await h.admin(path);
      if (r.status !== 200) throw new Error(`${path} answered ${r.status}: ${JSON.stringify(r.body)}`);
      return r.body.data;
    },
    async open(query) {
      await page.goto(`${h.url}/dashboard${query}`);
      await settled();
      await page.waitForFunction(() => [...document.querySelectorAll('.chart, .spark')].every((c) => c.querySelector('canvas')));
    },
    text: (selector) => page.locator(selector).first().innerText(),
    rows: (caption) => page.evaluate((c) => [...document.querySelectorAll<HTMLTableElement>('#view table')]
      .filter((t) => t.caption?.textContent === c)
      .flatMap((t) => [...t.tBodies[0]!.rows].map((r) => [...r.cells].map((td) => td.innerText.trim()))), caption),
    bars: (label) => page.evaluate((l) => [...document.querySelectorAll(`#view ol.bars[aria-label="${l}"] > li`)]
      .map((li) => [li.querySelector('.bar-label')!.textContent!, li.querySelector('.bar-figure')!.textContent!] as [string, string]), label),
    series: (aria) => page.evaluate((a) => {
      const f = [...document.querySelectorAll('#view figure[data-series]')].find((x) => x.getAttribute('aria-label')!.startsWith(a));
      if (!f) throw new Error(`no chart labelled "${a}…"`);
      return JSON.parse(f.getAttribute('data-series')!);
    }, aria),
    close: () => browser.close(),
  };
}
