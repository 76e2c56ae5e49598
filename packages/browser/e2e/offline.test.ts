import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { browser, embedPage, queuedIds, server, useE2E } from './harness';

useE2E({
  '/form.html': embedPage({ body: '<section data-journey-step="contact"><input name="email"></section>' }),
});

async function trackSome(page: Page, n: number): Promise<string[]> {
  return page.evaluate((n) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push((window as any).JourneyEmbed.track('offline_event', { i }).id);
    (window as any).JourneyEmbed.flush();
    return ids;
  }, n);
}

describe('endpoint unreachable: events wait in IndexedDB and arrive after a reload', () => {
  test('the collector answers 503', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    server.ingestStatus = 503;
    await page.goto(`${server.url}/form.html`);
    await page.waitForFunction(() => (window as any).JourneyEmbed?.version);
    const before = server.ingests().length;
    const ids = await trackSome(page, 5);
    await server.until(() => server.ingests().slice(before).some((r) => r.status === 503), 'a refused batch');
    let queued: string[] = [];
    for (let i = 0; i < 100 && !ids.every((id) => queued.includes(id)); i++) {
      queued = await queuedIds(page);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(queued).toEqual(expect.arrayContaining(ids));
    expect(server.events().filter((e) => ids.includes(e.id))).toEqual([]); // nothing accepted yet

    server.ingestStatus = 204;
    await page.reload();
    await server.until(() => queued.every((id) => server.events().some((e) => e.id === id)), 'every queued event');
    // none lost; duplicates are allowed on the wire but every id is counted once
    const delivered = server.events();
    expect(new Set(delivered.map((e) => e.id)).size).toBe(delivered.length);
    expect(delivered.filter((e) => e._tag === 'offline_event').map((e) => e.props.i).sort()).toEqual([0, 1, 2, 3, 4]);
    for (let i = 0; i < 100 && (await queuedIds(page)).length; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await queuedIds(page)).toEqual([]); // acknowledged batches leave the queue
    // the reload continued the session: no second session_start
    expect(delivered.filter((e) => e._tag === 'session_start')).toHaveLength(1);
    await context.close();
  });

  test('the collector is down (connection refused)', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    server.ingestStatus = 204;
    await page.goto(`${server.url}/form.html`);
    await page.waitForFunction(() => (window as any).JourneyEmbed?.version);
    await server.stop();
    const ids = await trackSome(page, 3);
    let queued: string[] = [];
    for (let i = 0; i < 100 && !ids.every((id) => queued.includes(id)); i++) {
      queued = await queuedIds(page);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(queued).toEqual(expect.arrayContaining(ids));

    await server.restart();
    await page.reload();
    await server.until(() => queued.every((id) => server.events().some((e) => e.id === id)), 'every queued event');
    for (let i = 0; i < 100 && (await queuedIds(page)).length; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await queuedIds(page)).toEqual([]);
    await context.close();
  });
});
