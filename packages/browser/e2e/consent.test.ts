import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { browser, embedPage, LOADER_SNIPPET, queuedIds, server, useE2E } from './harness';

useE2E();

/** Polls the page's retry queue until `pred` holds (bounded). */
async function queueUntil(page: Page, pred: (ids: string[]) => boolean, what: string): Promise<string[]> {
  let ids: string[] = [];
  for (let i = 0; i < 200; i++) {
    ids = await queuedIds(page);
    if (pred(ids)) return ids;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the retry queue never held ${what}; it held ${JSON.stringify(ids)}`);
}

/** Events of `clientId` in every ingest request from `from` on, answered or not. */
const sentOf = (clientId: string, from: number) =>
  server
    .ingests()
    .slice(from)
    .flatMap((r) => JSON.parse(r.body).events as Record<string, any>[])
    .filter((e) => e.clientId === clientId);

test('optOut() while batches wait for retry: none of them is sent afterwards, not after a reload either; optIn() starts a new session', async () => {
  server.page('/opt-out.html', embedPage());
  const page = await browser.newPage();
  server.ingestStatus = 503;
  try {
    await page.goto(`${server.url}/opt-out.html`);
    await page.waitForFunction(() => (window as any).JourneyEmbed?.version);
    const before = server.ingests().length;
    const { id, clientId, sessionId } = await page.evaluate(() => {
      const e = (window as any).JourneyEmbed.track('before_opt_out');
      (window as any).JourneyEmbed.flush();
      return e;
    });
    await server.until(() => server.ingests().slice(before).some((r) => r.status === 503 && r.body.includes(id)), 'the refused batch');
    await queueUntil(page, (ids) => ids.includes(id), 'the refused batch');

    await page.evaluate(() => (window as any).JourneyEmbed.optOut());
    const optedOutAt = server.ingests().length;
    server.ingestStatus = 204; // from now on every batch would be accepted
    await page.reload();
    await page.waitForFunction(() => (window as any).JourneyEmbed?.version);
    expect(await page.evaluate(() => (window as any).JourneyEmbed.optedOut)).toBe(true);
    // nothing is kept for later …
    await queueUntil(page, (ids) => ids.length === 0, 'nothing');
    // … and nothing goes out: a flush, a retry and coming back online all run after the start-up
    await page.evaluate(async () => {
      (window as any).JourneyEmbed.track('while_opted_out');
      dispatchEvent(new Event('online'));
      await (window as any).JourneyEmbed.flush();
    });
    expect(sentOf(clientId, optedOutAt)).toEqual([]);

    // opting in again starts afresh: a new session, and nothing from before the opt-out
    const after = await page.evaluate(async () => {
      (window as any).JourneyEmbed.optIn();
      const e = (window as any).JourneyEmbed.track('after_opt_in');
      await (window as any).JourneyEmbed.flush();
      return e;
    });
    await server.until(() => server.events().some((e) => e.id === after.id), 'the event after opting in');
    expect(after.sessionId).not.toBe(sessionId);
    const sent = sentOf(clientId, optedOutAt);
    expect(sent.map((e) => e._tag)).toEqual(['session_start', 'after_opt_in']);
    expect(sent.every((e) => e.sessionId === after.sessionId)).toBe(true);
  } finally {
    server.ingestStatus = 204;
    await page.close();
  }
});

test('a consent manager calling JourneyEmbed.optOut() before the embed loaded: no error, and the visitor is opted out', async () => {
  const consent = `${LOADER_SNIPPET}<script>JourneyEmbed.optOut(); window.__called = true;</script>`;
  server.page('/consent-early.html', embedPage({ head: consent }));
  server.embedDelayMs = 400; // the consent manager runs long before the script arrives
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    await page.goto(`${server.url}/consent-early.html`);
    await page.waitForFunction(() => (window as any).JourneyEmbed?.version);
    expect(errors).toEqual([]);
    expect(await page.evaluate(() => (window as any).__called)).toBe(true);
    expect(await page.evaluate(() => (window as any).JourneyEmbed.optedOut)).toBe(true);
    const from = server.ingests().length;
    await page.evaluate(async () => {
      (window as any).JourneyEmbed.track('after_consent');
      await (window as any).JourneyEmbed.flush();
    });
    await page.goto('about:blank'); // page hide: a beacon would leave now
    expect(server.ingests().slice(from).filter((r) => r.body.includes('/consent-early.html'))).toEqual([]);
    expect(server.events().filter((e) => String(e.url).includes('/consent-early.html'))).toEqual([]);
  } finally {
    server.embedDelayMs = 0;
    await page.close();
  }
});

test("the loader snippet stubs every method of window.JourneyEmbed, and the README's snippet is the example's", async () => {
  server.page('/stub.html', `<!doctype html><title>stub</title>${LOADER_SNIPPET}`);
  server.page('/methods.html', embedPage());
  const page = await browser.newPage();
  const methods = (p: Page) =>
    p.evaluate(() => {
      const j = (window as any).JourneyEmbed;
      const out: string[] = [];
      for (const k in j) if (typeof j[k] === 'function') out.push(k);
      return out.sort();
    });
  try {
    await page.goto(`${server.url}/stub.html`);
    const stubbed = await methods(page);
    await page.goto(`${server.url}/methods.html`);
    await page.waitForFunction(() => (window as any).JourneyEmbed?.version);
    expect(stubbed).toEqual(await methods(page));
    expect(stubbed).toEqual(expect.arrayContaining(['optIn', 'optOut', 'track', 'flush', 'completeJourney']));
    expect(readFileSync(new URL('../../../examples/cdn-snippet/index.html', import.meta.url), 'utf8')).toContain(LOADER_SNIPPET);
  } finally {
    await page.close();
  }
});

test('data-respect-dnt="true" honours Do Not Track; data-session-timeout sets the session timeout', async () => {
  server.page('/dnt.html', embedPage({ attrs: { 'data-respect-dnt': 'true', 'data-session-timeout': '120000' } }));
  server.page('/no-dnt-attr.html', embedPage());
  const context = await browser.newContext();
  // the browser's Do Not Track setting, as a page sees it
  await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => '1' }));
  const page = await context.newPage();
  try {
    await page.goto(`${server.url}/dnt.html`);
    await page.waitForFunction(() => (window as any).JourneyEmbed?.version);
    expect(await page.evaluate(() => [(window as any).JourneyEmbed.optedOut, (window as any).JourneyEmbed.options.sessionTimeout])).toEqual([true, 120000]);
    await page.evaluate(() => (window as any).JourneyEmbed.flush());
    // without the attribute Do Not Track is not honoured (the documented default)
    await page.goto(`${server.url}/no-dnt-attr.html`);
    await page.waitForFunction(() => (window as any).JourneyEmbed?.version);
    expect(await page.evaluate(() => [(window as any).JourneyEmbed.optedOut, (window as any).JourneyEmbed.options.sessionTimeout])).toEqual([false, 1800000]);
    await page.evaluate(() => (window as any).JourneyEmbed.flush());
    await server.until(() => server.events().some((e) => String(e.url).includes('/no-dnt-attr.html')), 'the events of the page without the attribute');
    expect(server.events().filter((e) => String(e.url).includes('/dnt.html'))).toEqual([]);
  } finally {
    await context.close();
  }
});
