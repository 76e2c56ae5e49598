import { expect, test } from 'vitest';
import { browser, embedPage, launch, LOADER_SNIPPET, server, useE2E } from './harness';

useE2E();

test("the loader snippet's early calls are replayed in order once the embed loads", async () => {
  const early = `${LOADER_SNIPPET}<script>
    JourneyEmbed.track('early_one', { n: 1 });
    JourneyEmbed.step('welcome');
    JourneyEmbed.track('early_two', { n: 2 });
    JourneyEmbed.flush();
    window.__stub = JourneyEmbed;
  </script>`;
  server.page('/snippet.html', embedPage({ head: early }));
  server.embedDelayMs = 400; // the page's own code runs long before the script arrives
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${server.url}/snippet.html`);
  await page.waitForFunction(() => (window as any).JourneyEmbed?.version);
  server.embedDelayMs = 0;
  // the stub was replaced by the real API
  expect(await page.evaluate(() => (window as any).JourneyEmbed !== (window as any).__stub && !('q' in (window as any).JourneyEmbed))).toBe(true);
  await server.until(() => server.events().some((e) => e._tag === 'early_two'), 'the replayed calls');
  const tags = server.events().map((e) => e._tag);
  expect(tags.filter((t) => /early|step_view/.test(t))).toEqual(['early_one', 'step_view', 'early_two']);
  expect(server.events().find((e) => e._tag === 'step_view')).toMatchObject({ stepKey: 'welcome' });
  expect(tags[0]).toBe('session_start');
  expect(errors).toEqual([]);
  await page.close();
});

test('a page restored from the back/forward cache keeps its session: no second session_start', async () => {
  const mark = `<script>addEventListener('pageshow', (e) => { if (e.persisted) window.__restored = (window.__restored || 0) + 1; });</script>`;
  server.page('/bf-a.html', embedPage({ head: mark, body: '<a href="/bf-b.html">next</a>' }));
  server.page('/bf-b.html', '<!doctype html><title>b</title><p>b</p>');
  const bf = await launch({ bfcache: true });
  try {
    const page = await bf.newPage();
    const before = server.ingests().length;
    await page.goto(`${server.url}/bf-a.html`);
    await page.waitForFunction(() => (window as any).JourneyEmbed?.version);
    const sid = await page.evaluate(() => (window as any).JourneyEmbed.track('on_a')!.sessionId);
    await page.goto(`${server.url}/bf-b.html`);
    await page.goBack({ waitUntil: 'commit' }); // a restore fires no load event
    // this proves the page really came from the cache, i.e. nothing made it ineligible (no unload listener)
    await page.waitForFunction(() => (window as any).__restored === 1);
    await page.evaluate(() => (window as any).JourneyEmbed.track('after_restore'));
    await page.evaluate(() => (window as any).JourneyEmbed.flush());
    await server.until(() => server.events().some((e) => e._tag === 'after_restore'), 'the event after restore');
    const mine = server.ingests().slice(before).flatMap((r) => JSON.parse(r.body).events);
    expect(mine.filter((e) => e._tag === 'session_start')).toHaveLength(1);
    expect(mine.filter((e) => e._tag === 'page_view')).toHaveLength(2); // load and restore
    expect(mine.find((e) => e._tag === 'after_restore').sessionId).toBe(sid);
  } finally {
    await bf.close();
  }
});
