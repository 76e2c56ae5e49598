import { validateBatch } from '@waymark/core/schema';
import { describe, expect, test } from 'vitest';
import { browser, embedPage, server, useE2E } from './harness';

useE2E();

const FORM = `<form name="apply"><section data-journey-step="eligibility"><input name="age" required></section></form>`;

describe('the embed in Chromium', () => {
  test('events arrive in the documented batch format, with the documented debug lines when data-debug="true"', async () => {
    server.page('/debug.html', embedPage({ attrs: { 'data-debug': 'true', 'data-env': 'staging' }, body: FORM }));
    const page = await browser.newPage();
    const lines: string[] = [];
    page.on('console', (m) => lines.push(m.text()));
    await page.goto(`${server.url}/debug.html`);
    await page.waitForFunction(() => (window as any).JourneyEmbed?.version);
    await page.focus('[name=age]');
    await page.keyboard.type('17');
    await page.evaluate(() => (window as any).JourneyEmbed.flush());
    await server.until(() => server.events().some((e) => e._tag === 'field_focus'), 'the field_focus event');

    const batches = server.delivered();
    for (const b of batches) {
      const r = validateBatch(b);
      expect(r.ok, JSON.stringify(!r.ok && r.error)).toBe(true);
      expect(b.context).toMatchObject({ orgKey: 'acme', journeyKey: 'signup', env: 'staging', deviceClass: 'desktop' });
      expect(typeof b.context.language).toBe('string');
    }
    const ev = server.events();
    expect(ev.map((e) => e._tag).slice(0, 4)).toEqual(['session_start', 'page_view', 'step_view', 'field_focus']);
    const sid = ev[0]!.sessionId;
    expect(ev[0]).toMatchObject({ schemaVersion: 1, orgKey: 'acme', journeyKey: 'signup', url: `${server.url}/debug.html` });
    expect(ev.every((e) => e.sessionId === sid && e.clientId === ev[0]!.clientId)).toBe(true);
    expect(ev[1]).toMatchObject({ title: 'Waymark e2e' });
    expect(ev[2]).toMatchObject({ stepKey: 'eligibility' });
    // the documented console lines, exactly
    expect(lines).toContain(`[JourneyEmbed] session_start: ${sid}`);
    expect(lines).toContain('[JourneyEmbed] step_view: eligibility');
    expect(lines.some((l) => /^\[JourneyEmbed\] Flushing \d+ events to API$/.test(l))).toBe(true);
    // the batch is sent as text/plain, so a cross-origin collector needs no CORS preflight
    expect(server.ingests()[0]!.headers['content-type']).toMatch(/^text\/plain/);
    await page.close();
  });

  test('silent without data-debug; the JourneyEmbed API is there', async () => {
    server.page('/quiet.html', embedPage({ body: FORM }));
    const page = await browser.newPage();
    const lines: string[] = [];
    page.on('console', (m) => lines.push(m.text()));
    await page.goto(`${server.url}/quiet.html`);
    const api = await page.waitForFunction(() => {
      const j = (window as any).JourneyEmbed;
      return j?.version && { track: typeof j.track, flush: typeof j.flush, version: j.version };
    });
    expect(await api.jsonValue()).toMatchObject({ track: 'function', flush: 'function', version: expect.any(String) });
    await page.evaluate(() => (window as any).JourneyEmbed.flush());
    expect(lines.filter((l) => l.includes('JourneyEmbed'))).toEqual([]);
    await page.close();
  });

  test('misconfiguration is reported in the console, never thrown into the page', async () => {
    server.page('/bad.html', embedPage({ attrs: { 'data-org': '', 'data-env': 'production' } }));
    const page = await browser.newPage();
    const errors: string[] = [];
    const lines: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => lines.push(m.text()));
    await page.goto(`${server.url}/bad.html`);
    await server.until(() => lines.length > 0, 'a console line');
    expect(errors).toEqual([]);
    expect(lines.join('\n')).toMatch(/expected/);
    await page.close();
  });
});
