/**
 * The example app in real Chromium against a real collector: a user clicks through the tour
 * (reloading the page half-way) and fills in the journey form; the collector's analytics API
 * then reports exactly one start, one completion and one view of each step, and no request
 * ever carried what the user typed.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestCollector } from '../../../collector/src/testing';
import { startRecordingProxy, type RecordingProxy } from '../../../tooling/recording-proxy';
import { admin, buildApp, eventually, launch, startCollector } from './app';

// real Chromium and a real collector on a shared machine: waits are bounded polls, capped generously
vi.setConfig({ testTimeout: 90_000 });

let browser: Browser;
let collector: TestCollector;
/** the pages are loaded through it: every request they send is recorded on the wire */
let proxy: RecordingProxy;
let built: Awaited<ReturnType<typeof buildApp>>;
/** console errors and warnings, and uncaught errors, of every page */
const problems: string[] = [];

beforeAll(async () => {
  built = await buildApp();
  collector = await startCollector(built.examplesDir);
  proxy = await startRecordingProxy(collector.url);
  browser = await launch();
}, 120_000);

afterEach(() => {
  expect(problems).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await proxy?.close();
  await collector?.stop();
  built?.remove();
});

/** Opens the app in a fresh context (fresh storage: a new visitor), through the recording proxy. */
async function openApp(): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  // a failed load is reported below with its URL (the browser asks for /favicon.ico by itself)
  page.on('console', (m) => ['error', 'warning'].includes(m.type()) && !m.text().startsWith('Failed to load resource') && problems.push(m.text()));
  page.on('response', (r) => r.status() >= 400 && !r.url().endsWith('/favicon.ico') && problems.push(`${r.status()} ${r.url()}`));
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(`${proxy.url}/examples/react-app/`);
  await page.getByRole('heading', { name: 'Acme grants' }).waitFor();
  return page;
}

/**
 * Once the last expected event arrived: waits until no request is in flight through the proxy
 * (a duplicate delivery would be one), then until everything stored is counted.
 */
async function settle(): Promise<void> {
  await eventually('no request in flight through the proxy', async () => proxy.inFlight === 0 || undefined);
  await collector.drain();
}

/** Requests to the ingest API recorded so far, as `url headers body` lines. */
const ingestRequests = () =>
  proxy.requests.filter((r) => r.url.startsWith('/api/ingest')).map((r) => `${r.url} ${JSON.stringify(r.headers)} ${r.body}`);

/** Leaves the page: the SDK flushes on pagehide (sendBeacon). */
async function leave(page: Page): Promise<void> {
  await page.goto('about:blank');
  await page.context().close();
}

interface TourDaily {
  data: { tour_id: string; totals: { starts: number; completions: number; dismissals: number; completion_rate: number } };
}
interface Funnel {
  data: { steps: { step_index: number; step_id: string; users: number }[] };
}

describe('example react-app in Chromium', () => {
  it('clicking through the tour, with a reload half-way, counts one start and one completion', async () => {
    const page = await openApp();
    const dialog = page.getByRole('dialog', { name: 'Product tour' });
    await page.getByRole('button', { name: 'Take the tour' }).click();
    await expect.poll(() => dialog.getAttribute('data-step')).toBe('welcome');
    await dialog.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => dialog.getAttribute('data-step')).toBe('email');
    // the step's target was resolved and highlighted
    await expect.poll(() => page.locator('#email.tour-target').count()).toBe(1);

    await page.reload(); // progress is kept: no second start, no second view of this step
    await expect.poll(() => dialog.getAttribute('data-step')).toBe('email');
    await dialog.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => dialog.getAttribute('data-step')).toBe('submit');
    await dialog.getByRole('button', { name: 'Back' }).click();
    await dialog.getByRole('button', { name: 'Next' }).click();
    await dialog.getByRole('button', { name: 'Finish' }).click();
    await page.getByTestId('tour-done').waitFor();
    await leave(page);

    await eventually('the tour completion counted', async () => {
      await collector.drain();
      const r = await admin<TourDaily>(collector, '/analytics/tours/demo-tour');
      return r.data.totals.completions >= 1 || undefined;
    });
    await settle();
    const daily = await admin<TourDaily>(collector, '/analytics/tours/demo-tour');
    expect(daily.data.tour_id).toBe('demo-tour');
    expect(daily.data.totals).toMatchObject({ starts: 1, completions: 1, dismissals: 0, completion_rate: 100 });

    const funnel = await admin<Funnel>(collector, '/analytics/tours/demo-tour/funnel');
    expect(funnel.data.steps.map((s) => [s.step_index, s.step_id, s.users])).toEqual([
      [0, 'welcome', 1],
      [1, 'email', 1],
      [2, 'submit', 1],
    ]);

    const exported = await admin<string>(collector, '/export?format=ndjson');
    // events of one millisecond have no order on the wire, so count them (the order is unit-tested)
    const counts: Record<string, number> = {};
    for (const line of exported.trim().split('\n')) {
      const { type } = JSON.parse(line) as { type: string };
      if (/^(Tour|Step)/.test(type)) counts[type] = (counts[type] ?? 0) + 1;
    }
    expect(counts).toEqual({ TourStarted: 1, StepViewed: 3, StepCompleted: 3, TourCompleted: 1 });
  });

  it('the journey form reports fields, validation and submits, and never sends what was typed', async () => {
    const secret = 'S3CRET-marker-react-4242';
    const page = await openApp();
    await page.getByRole('button', { name: 'Continue' }).click(); // empty required email: invalid
    await page.locator('#email').fill(`${secret}@example.com`);
    await page.locator('#name').fill(secret);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('link', { name: 'Apply now' }).click();
    await page.getByRole('button', { name: 'Dismiss banner' }).click();
    await page.locator('#terms').check();
    await page.getByRole('button', { name: 'Send application' }).click();
    await page.getByTestId('journey-done').waitFor();
    await leave(page);

    const exportRows = async () =>
      (await admin<string>(collector, '/export?format=ndjson'))
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    // this visitor's session (the tour test above is another visitor, with its own session)
    const journeyOf = (rows: Record<string, unknown>[]) => {
      const session = rows.find((e) => e.type === 'session_end')?.session_id;
      return rows.filter((e) => session !== undefined && e.session_id === session);
    };
    const summarize = (rows: Record<string, unknown>[]) =>
      rows
        .filter((e) => /^(step_view|field_|validation_error|submit_|session_end)/.test(String(e.type)))
        .map((e) => {
          const d = (e.data ?? {}) as Record<string, unknown>;
          return [e.type, d.fieldKey ?? d.stepKey, d.errorType].filter(Boolean).join(':');
        });
    // the page sends its events in several requests (a flush, then the page-hide beacon), which
    // may arrive in any order: wait until the last of those asserted below is stored
    const expected = [
      'validation_error:email:valueMissing', // the ValidityState key, as Chromium reports it for an empty required field
      ...['email', 'name'].flatMap((f) => ['field_focus', 'field_change', 'field_blur'].map((t) => `${t}:${f}`)),
      'step_view:contact', 'submit_attempt:contact', 'submit_success:contact', 'step_view:confirm', 'submit_success:confirm',
    ];
    await eventually(`the session's events stored (${expected.join(', ')})`, async () => {
      const summary = summarize(journeyOf(await exportRows()));
      return expected.every((x) => summary.includes(x)) || undefined;
    });
    // the requests that carried them passed the proxy: the page's own request events miss a closing page's beacon
    await eventually('an ingest request with the session_end on the wire', async () => (ingestRequests().some((b) => b.includes('"session_end"')) ? true : undefined));
    await settle();
    const rows = await exportRows();
    const summary = summarize(journeyOf(rows));
    const session = journeyOf(rows)[0]!.session_id;
    for (const x of expected) expect(summary).toContain(x);
    expect(summary.filter((s) => s.startsWith('step_view:contact'))).toHaveLength(1); // StrictMode did not double it
    expect(summary.filter((s) => s.startsWith('session_end'))).toHaveLength(1);
    // the banner (its ref attached: ContentViewed through IntersectionObserver)
    const content = rows.filter((e) => e.session_id === session && String(e.type).startsWith('Content'));
    expect(content.map((e) => e.type).sort()).toEqual(['ContentCtaClicked', 'ContentDismissed', 'ContentViewed']);
    const wire = proxy.requests.map((r) => `${r.method} ${r.url} ${JSON.stringify(r.headers)} ${r.body}`);
    expect(wire.filter((b) => b.includes(secret))).toEqual([]);
    expect(JSON.stringify(rows)).not.toContain(secret);
  });
});
