/**
 * The CDN example in real Chromium against a real collector (SQLite, served pages, the built
 * embed at /embed/v1.js): a visitor fills in the three-step form; the collector stores every
 * event once, in order of the journey, and nothing the visitor typed.
 */
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { startTestCollector, type TestCollector } from '../../../collector/src/testing';
import { EMBED, ensureEmbed, launch } from '../../../packages/browser/e2e/harness';

// real Chromium and a real collector on a shared machine; the hook may build the embed
vi.setConfig({ testTimeout: 60_000, hookTimeout: 240_000 });

const examplesDir = fileURLToPath(new URL('../..', import.meta.url));
const SECRET = 'Xy-SECRET-9931';
let browser: Browser;
let collector: TestCollector;

beforeAll(async () => {
  await ensureEmbed();
  [browser, collector] = await Promise.all([
    launch(),
    startTestCollector({
      config: {
        orgs: [{ key: 'demo', apiKeys: ['sk_test_demo_cdn_snippet_0123456789'], journeys: [{ key: 'demo-journey' }], rateLimit: { requests: 100_000, perSeconds: 3600 } }],
        logLevel: 'silent',
      },
      staticPaths: { examplesDir, embedFile: EMBED },
    }),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await collector?.stop();
});

async function until(pred: () => Promise<boolean>, what: string) {
  for (const end = Date.now() + 10_000; !(await pred()); ) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('a visitor completes the multi-step form: the collector stores the journey, never the input', async () => {
  const page = await browser.newPage();
  const sent: string[] = [];
  const problems: string[] = [];
  page.on('request', (r) => sent.push(r.url(), JSON.stringify(r.headers()), r.postData() ?? ''));
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(`${collector.url}/examples/cdn-snippet/`);
  await page.waitForFunction(() => (window as any).JourneyEmbed?.version);

  await page.click('text=Next'); // nothing filled in: the browser's validation fires "invalid"
  await page.selectOption('#org-type', 'Charity');
  await page.fill('#founded', '1999');
  await page.click('section[data-journey-step=eligibility] >> text=Next');
  await page.fill('#name', SECRET);
  await page.fill('#email', `${SECRET}@example.com`);
  await page.fill('#tax', SECRET);
  await page.click('section[data-journey-step=contact] >> text=Next');
  await page.fill('#summary', `${SECRET} builds a community garden`);
  await page.fill('#amount', '4000');
  await page.click('text=Submit application');
  await page.waitForSelector('#done:not([hidden])');

  const events = async () =>
    (await collector.store.listEvents({ orgKey: 'demo', limit: 1000 })).map((e) => JSON.parse(e.json) as Record<string, any>);
  await until(async () => (await events()).some((e) => e._tag === 'session_end'), 'session_end in the store');
  const ev = await events();
  const tags = ev.map((e) => e._tag);
  expect(tags[0]).toBe('session_start');
  expect(ev.filter((e) => e._tag === 'step_view').map((e) => e.stepKey)).toEqual(['eligibility', 'contact', 'project', 'done']);
  expect(ev.filter((e) => e._tag === 'submit_success').map((e) => e.stepKey)).toEqual(['eligibility', 'contact', 'project']);
  expect(ev.find((e) => e._tag === 'validation_error')).toMatchObject({ fieldKey: 'org_type', errorType: 'valueMissing', stepKey: 'eligibility' });
  expect(ev.find((e) => e._tag === 'submit_attempt')).toMatchObject({ formKey: 'grant-application', stepKey: 'project' });
  expect(ev.find((e) => e._tag === 'session_end')).toMatchObject({ completed: true });
  expect(ev.filter((e) => e.fieldKey === 'tax_number')).toEqual([]);
  expect(ev.every((e) => e.orgKey === 'demo' && e.journeyKey === 'demo-journey')).toBe(true);
  expect(new Set(ev.map((e) => e.id)).size).toBe(ev.length);
  expect(JSON.stringify(ev)).not.toContain(SECRET);
  expect(sent.join('\n')).not.toContain(SECRET);
  expect(problems).toEqual([]);
  await page.close();
});
