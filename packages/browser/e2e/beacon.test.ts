import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { browser, embedPage, server, useE2E } from './harness';

useE2E({
  '/form.html': embedPage({ body: '<section data-journey-step="contact"><input name="email"></section>' }),
  '/other.html': '<!doctype html><title>elsewhere</title><p>no embed here</p>',
});

/** Opens the form and buffers events; nothing is sent yet (the 5 s flush timer has not fired). */
async function buffered(): Promise<{ page: Page; before: number }> {
  const page = await browser.newPage();
  await page.goto(`${server.url}/form.html`);
  await page.waitForFunction(() => (window as any).JourneyEmbed?.version);
  await page.focus('[name=email]');
  await page.evaluate(() => (window as any).JourneyEmbed.track('custom_marker', { n: 1 }));
  return { page, before: server.ingests().length };
}

const lastSession = (tag: string) => server.events().filter((e) => e._tag === tag);

describe('page hide delivers the buffer through sendBeacon', () => {
  test('navigating away', async () => {
    const { page, before } = await buffered();
    expect(server.ingests().length).toBe(before);
    await page.goto(`${server.url}/other.html`);
    await server.until(() => server.ingests().length > before, 'the beacon');
    const req = server.ingests()[before]!;
    expect(req.headers['content-type']).toMatch(/^text\/plain/);
    // sendBeacon with a CORS-safelisted body is a no-cors request; fetch() from the page would be cors
    expect(req.headers['sec-fetch-mode']).toBe('no-cors');
    const tags = JSON.parse(req.body).events.map((e: { _tag: string }) => e._tag);
    expect(tags).toEqual(expect.arrayContaining(['session_start', 'page_view', 'step_view', 'field_focus', 'custom_marker']));
    // the drop-off signal raised by the navigation leaves by beacon too
    await server.until(() => server.ingests().slice(before).some((r) => r.body.includes('dropoff_signal')), 'the drop-off signal');
    const signal = server.ingests().slice(before).find((r) => r.body.includes('dropoff_signal'))!;
    expect(signal.headers['sec-fetch-mode']).toBe('no-cors');
    expect(JSON.parse(signal.body).events.find((e: { _tag: string }) => e._tag === 'dropoff_signal')).toMatchObject({ reason: 'rapid_exit', stepKey: 'contact' });
    await page.close();
  });

  test('closing the tab', async () => {
    const { page, before } = await buffered();
    const ids = await page.evaluate(() => (window as any).JourneyEmbed.track('before_close')?.id);
    await page.close({ runBeforeUnload: true });
    await server.until(() => server.ingests().slice(before).some((r) => r.body.includes('before_close')), 'the beacon after close');
    const req = server.ingests().slice(before).find((r) => r.body.includes('before_close'))!;
    expect(req.headers['sec-fetch-mode']).toBe('no-cors');
    expect(req.headers['content-type']).toMatch(/^text\/plain/);
    expect(lastSession('before_close').map((e) => e.id)).toContain(ids);
    expect(lastSession('dropoff_signal').length).toBeGreaterThan(0);
  });
});
