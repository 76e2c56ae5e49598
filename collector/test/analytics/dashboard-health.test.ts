/**
 * The health banner in real Chromium: while `/health` says degraded or failing, every dashboard
 * view shows what is wrong (dead letters, a processor that lags behind, a store that does not
 * answer) in a visible banner whose text is the health answer's own message, with no serious or
 * critical axe issue; once healthy, no banner.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresStore } from '../../src/store/postgres/index';
import type { SqliteStore } from '../../src/store/sqlite/index';
import { openDashboardTab, type DashboardTab } from './dashboard-browser';
import { ORG, baseConfig, ev, startHarness, type Harness } from './harness';

// the store stamps arrival with the real clock: the collector's clock starts there and moves on
const T0 = Date.now();
const ARTIFACTS = fileURLToPath(new URL('../../../artifacts/', import.meta.url));
let clock = T0;
let h: Harness;
let t: DashboardTab;

const health = async () => {
  const r = await fetch(`${h.url}/health`);
  return { status: r.status, body: (await r.json()) as any };
};
/** A constraint the counters table refuses for one tour: its events go to the dead letters. */
async function poison(tour: string) {
  const store = h.collector.store;
  if (store.engine === 'postgres') await (store as PostgresStore).pool.query(`ALTER TABLE counters ADD CONSTRAINT no_${tour} CHECK (content_id <> '${tour}') NOT VALID`);
  else (store as SqliteStore).db.exec(`CREATE TRIGGER no_${tour} BEFORE INSERT ON counters WHEN NEW.content_id = '${tour}' BEGIN SELECT RAISE(ABORT, 'counters refuse ${tour}'); END`);
}
const banner = () => t.page.locator('[data-testid=health-banner]');
/** Waits (bounded) until the banner shows `text`, the dashboard refreshing on its own. */
const bannerSays = (text: string) =>
  t.page.waitForFunction((s) => {
    const b = document.querySelector<HTMLElement>('[data-testid=health-banner]');
    return !!b && !b.hidden && b.innerText.includes(s);
  }, text, { timeout: 20_000 });

beforeAll(async () => {
  h = await startHarness({ config: baseConfig({ processor: { maxLagSeconds: 60 } } as never), now: () => clock });
  expect(await h.post([ev('TourStarted', T0, { tourId: 'tour_ok' })])).toBe(204);
  t = await openDashboardTab(h, T0);
}, 90_000);
afterAll(async () => {
  await t?.close();
  await h?.close();
});

describe('health banner (Chromium)', () => {
  it('healthy: no banner', async () => {
    expect((await health()).body.status).toBe('ok');
    await t.open('?range=7d&env=prod');
    // the health answer arrived (ok): the banner stays hidden
    await t.page.waitForFunction(() => document.getElementById('health')?.dataset.status === 'ok');
    expect(await banner().isVisible()).toBe(false);
  });

  it('dead letters: a visible banner with the health message, on every view, axe-clean', async () => {
    await poison('poison_tour');
    expect(await h.post([ev('TourStarted', T0, { tourId: 'poison_tour' }, { c: 'poisoned' })])).toBe(204);
    for (let i = 0; i < 100 && (await health()).body.status !== 'degraded'; i++) await new Promise((r) => setTimeout(r, 100));
    const hb = (await health()).body;
    expect([hb.status, hb.problems.map((p: { code: string }) => p.code)]).toEqual(['degraded', ['dead_letters']]);
    for (const q of ['?range=7d&env=prod', '?view=tour&id=tour_ok&range=7d&env=prod', '?view=live&env=prod']) {
      await t.open(q);
      await bannerSays(hb.problems[0].message);
      expect(await banner().isVisible(), q).toBe(true);
      expect(await banner().innerText()).toContain('The collector is degraded');
      expect(await banner().getAttribute('role')).toBe('status');
      const axe = await new AxeBuilder({ page: t.page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
      expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${q}: ${v.id}`)).toEqual([]);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    for (const width of [1280, 390]) {
      await t.page.setViewportSize({ width, height: 900 });
      await t.open('?range=7d&env=prod');
      await bannerSays(hb.problems[0].message);
      expect(await t.page.evaluate(() => document.documentElement.scrollWidth), `@${width}`).toBeLessThanOrEqual(width);
      await t.page.screenshot({ path: `${ARTIFACTS}dashboard-health-degraded-${width}.png`, fullPage: true });
    }
    await t.page.setViewportSize({ width: 1280, height: 900 });
  });

  it('a processor that lags behind: failing, said without a reload', async () => {
    await h.collector.processor.stop();
    expect(await h.post([ev('TourStarted', clock, { tourId: 'tour_ok' }, { c: 'late' })])).toBe(204);
    clock = Date.now() + 5 * 60_000; // the event has waited 5 minutes, more than maxLagSeconds (60)
    const hb = (await health()).body;
    expect(hb.status).toBe('failing');
    const lag = hb.problems.find((p: { code: string }) => p.code === 'processor_lagging');
    // the lag grows with the real clock between two reads: compare what does not move
    expect(lag.message).toMatch(/^the oldest event waiting for the processor was stored \d+(\.\d+)? s ago \(more than 60 s\)$/);
    await bannerSays('the oldest event waiting for the processor was stored');
    expect(await banner().innerText()).toMatch(/stored \d+(\.\d+)? s ago \(more than 60 s\)/);
    expect(await banner().innerText()).toContain('The collector is failing');
    expect(await banner().innerText()).toContain('dead letters');
  });

  it('a store that does not answer: the banner says so', async () => {
    // the store goes away for real; the harness's own close later must not close it twice
    const store = h.collector.store;
    const close = store.close.bind(store);
    let closed = false;
    store.close = async () => {
      if (!closed) await close();
      closed = true;
    };
    await store.close();
    const hb = await health();
    expect(hb.status).toBe(503);
    expect(hb.body.error.code).toBe('store_unavailable');
    await bannerSays(hb.body.error.message);
    expect(await banner().isVisible()).toBe(true);
    // the API's 503s are logged by Chromium itself; nothing else went wrong
    expect(t.problems.filter((p) => !p.includes('status of 503'))).toEqual([]);
  });
});
