import { validateEvent } from '@waymark/core/schema';
import { expect, test } from 'vitest';
import { browser, embedPage, server, useE2E } from './harness';

useE2E();

const ADD_ON = '<script src="/embed/v1/vitals.js" async></script>';

// both orders: the add-on after the embed finds it; before it, its call waits in the loader queue
test.each([
  ['after the embed', { body: `<p>hello</p>${ADD_ON}` }],
  ['before the embed', { head: ADD_ON.replace(' async', ''), body: '<p>hello</p>' }],
])('the web-vitals add-on (%s) reports vitals through the embed', async (name, page) => {
  const path = `/vitals-${name.split(' ')[0]}.html`;
  server.page(path, embedPage(page));
  const p = await browser.newPage();
  const errors: string[] = [];
  p.on('pageerror', (e) => errors.push(String(e)));
  await p.goto(`${server.url}${path}`);
  await p.waitForFunction(() => (window as any).JourneyEmbed?.version);
  // FCP and TTFB are final as soon as they are known; LCP and CLS once the page is hidden
  await p.waitForTimeout(300);
  await p.evaluate(() => (window as any).JourneyEmbed.flush());
  await server.until(() => server.events().some((e) => e._tag === 'web_vital' && e.url.endsWith(path)), 'a web_vital event');
  await p.close({ runBeforeUnload: true }); // hides the page: the final LCP and CLS go out by beacon
  await server.until(
    () => ['FCP', 'TTFB', 'LCP'].every((n) => server.events().some((e) => e._tag === 'web_vital' && e.name === n && e.url.endsWith(path))),
    'FCP, TTFB and LCP',
  );
  const vitals = server.events().filter((e) => e._tag === 'web_vital' && e.url.endsWith(path));
  for (const v of vitals) {
    expect(validateEvent(v).ok).toBe(true);
    expect(v.value).toBeGreaterThanOrEqual(0);
  }
  expect(errors).toEqual([]);
});
