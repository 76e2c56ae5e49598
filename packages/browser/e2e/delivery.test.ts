import { describe, expect, test } from 'vitest';
import { browser, embedPage, server, useE2E } from './harness';

// The burst's batches are close to 64 KiB: Chromium frees a keepalive request's quota only a while
// after its answer, so back-to-back sends exercise the transport's plain-request fallback.
useE2E({ '/page.html': embedPage({ body: '<p>delivery</p>' }) });

/**
 * Ids of every event the server answered 2xx for (the collector stores each id once). Read
 * incrementally: the test polls it in the process that also serves the requests, and re-parsing
 * every body on each poll would starve that server on a busy machine.
 */
const delivered = new Set<string>();
let parsed = 0;
function deliveredIds(): Set<string> {
  const all = server.ingests();
  for (; parsed < all.length; parsed++) {
    const r = all[parsed];
    if (r.status < 300) for (const e of JSON.parse(r.body).events) delivered.add(e.id);
  }
  return delivered;
}

async function openPage() {
  const page = await browser.newPage();
  await page.goto(`${server.url}/page.html`);
  await page.waitForFunction(() => (window as any).JourneyEmbed?.version);
  return page;
}

describe('delivery in Chromium', () => {
  test('a burst of 20,000 track() calls with a healthy endpoint: every event arrives, none is dropped', async () => {
    const page = await openPage();
    const { ids, drops } = await page.evaluate(() => {
      const je = (window as any).JourneyEmbed;
      const drops: unknown[] = [];
      je.on('drop', (d: unknown) => drops.push(d));
      const ids: string[] = [];
      for (let i = 0; i < 20_000; i++) ids.push(je.track('burst_event', { i }).id);
      je.flush();
      (window as any).__drops = drops;
      return { ids, drops };
    });
    expect(drops).toEqual([]);
    await server.until(() => {
      const got = deliveredIds();
      return ids.every((id) => got.has(id));
    }, 'all 20,000 events', 120_000);
    expect(await page.evaluate(() => (window as any).__drops)).toEqual([]);
    await page.close();
  }, 180_000);

  test('track() + flush() then closing the tab: the events arrive (what flush() handed on goes by beacon too), in every try', async () => {
    for (let i = 0; i < 6; i++) {
      const page = await openPage();
      const ids: string[] = await page.evaluate((n) => {
        const je = (window as any).JourneyEmbed;
        const ids = Array.from({ length: 100 }, (_, k) => je.track('closing_event', { n, k }).id);
        je.flush();
        return ids;
      }, i);
      await page.close({ runBeforeUnload: true });
      await server.until(() => {
        const got = deliveredIds();
        return ids.every((id) => got.has(id));
      }, `the 100 events of try ${i + 1} after the tab closed`, 15_000);
    }
  }, 180_000);
});
