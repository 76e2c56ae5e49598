import { expect, test } from 'vitest';
import { browser, embedPage, server, useE2E } from './harness';

useE2E();

const SECRET = 'Zq7-SECRET-marker-4411';

const FORM = `<form name="apply" novalidate onsubmit="event.preventDefault()">
  <section data-journey-step="identity">
    <input name="full_name" autocomplete="name">
    <input name="email" type="email">
    <input name="password" type="password">
    <input name="card" autocomplete="cc-number">
    <textarea name="story"></textarea>
    <div data-journey-ignore><input name="ssn"></div>
    <input data-journey-field="code" id="promo" pattern="[0-9]+">
    <select name="plan"><option>basic</option><option>${'pro'}</option></select>
    <button type="submit">Send</button>
  </section></form>`;

test('a form typed with a secret marker never sends it: no request URL, header or body holds it', async () => {
  server.page('/private.html', embedPage({ body: FORM, attrs: { 'data-debug': 'true' } }));
  server.page('/done.html', '<!doctype html><title>done</title>');
  const page = await browser.newPage();
  const seen: string[] = []; // what the browser itself sent, to any origin
  page.on('request', (r) => seen.push(r.url(), JSON.stringify(r.headers()), r.postData() ?? ''));
  await page.goto(`${server.url}/private.html`);
  await page.waitForFunction(() => (window as any).JourneyEmbed?.version);
  for (const sel of ['[name=full_name]', '[name=email]', '[name=password]', '[name=card]', '[name=story]', '[name=ssn]', '#promo']) {
    await page.click(sel);
    await page.keyboard.type(SECRET);
  }
  await page.selectOption('[name=plan]', 'pro');
  await page.evaluate(() => (document.querySelector('#promo') as HTMLInputElement).reportValidity());
  await page.click('button');
  await page.evaluate(() => (window as any).JourneyEmbed.flush());
  await server.until(() => server.events().some((e) => e._tag === 'submit_attempt'), 'the submit attempt');
  await page.goto(`${server.url}/done.html`); // page hide: the rest leaves by beacon
  await server.until(() => server.events().some((e) => e._tag === 'dropoff_signal'), 'the drop-off signal');

  const tags = server.events().map((e) => `${e._tag}:${e.fieldKey ?? ''}`);
  // the tracked fields were tracked (so the test saw real traffic) …
  expect(tags).toEqual(expect.arrayContaining(['field_focus:full_name', 'field_change:email', 'field_blur:story', 'validation_error:code', 'field_change:plan']));
  // … the excluded ones not at all
  expect(tags.filter((t) => /password|card|ssn/.test(t))).toEqual([]);
  const ingests = server.ingests();
  expect(ingests.length).toBeGreaterThan(1);
  for (const r of server.requests) {
    expect(r.url).not.toContain(SECRET);
    expect(JSON.stringify(r.headers)).not.toContain(SECRET);
    expect(r.body).not.toContain(SECRET);
  }
  expect(seen.join('\n')).not.toContain(SECRET);
  await page.close();
});
