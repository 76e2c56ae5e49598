import { expect, test } from 'vitest';
import { browser, embedPage, server, useE2E } from './harness';

useE2E({ '/complete.html': embedPage({ body: '<section data-journey-step="done"><p>Thank you</p></section>' }) });

test('completeJourney() ends the session: after an inactivity timeout it gets no second session_end, and the next event starts a new session', async () => {
  const page = await browser.newPage();
  try {
    // the page's clock, so that the 30-minute timeout can pass at once
    await page.clock.install();
    await page.goto(`${server.url}/complete.html`);
    await page.waitForFunction(() => (window as any).JourneyEmbed?.version);
    const sid = await page.evaluate(async () => {
      const j = (window as any).JourneyEmbed;
      j.completeJourney();
      await j.flush();
      return j.sessionId;
    });
    await server.until(() => server.events().some((e) => e.sessionId === sid && e._tag === 'session_end'), 'the completed session_end');
    await page.clock.fastForward('31:00');
    const later = await page.evaluate(async () => {
      const e = (window as any).JourneyEmbed.track('later');
      await (window as any).JourneyEmbed.flush();
      return e;
    });
    await server.until(() => server.events().some((e) => e.id === later.id), 'the later event');
    const ends = server.events().filter((e) => e.sessionId === sid && e._tag === 'session_end');
    expect(ends.map((e) => e.completed)).toEqual([true]);
    expect(later.sessionId).not.toBe(sid);
    const next = server.events().filter((e) => e.sessionId === later.sessionId);
    expect(next.map((e) => e._tag)).toEqual(['session_start', 'later']);
  } finally {
    await page.close();
  }
});

test('after completeJourney() the next activity starts a new session, also before any timeout', async () => {
  const page = await browser.newPage();
  try {
    await page.goto(`${server.url}/complete.html`);
    await page.waitForFunction(() => (window as any).JourneyEmbed?.version);
    const [sid, next] = await page.evaluate(async () => {
      const j = (window as any).JourneyEmbed;
      const s = j.sessionId;
      j.completeJourney();
      const e = j.track('next_visit_event');
      await j.flush();
      return [s, e];
    });
    expect(next.sessionId).not.toBe(sid);
    await server.until(() => server.events().some((e) => e.id === next.id), 'the next event');
    const ends = server.events().filter((e) => e.sessionId === sid && e._tag === 'session_end');
    expect(ends.map((e) => e.completed)).toEqual([true]);
    expect(server.events().filter((e) => e.sessionId === next.sessionId).map((e) => e._tag)).toEqual(['session_start', 'next_visit_event']);
  } finally {
    await page.close();
  }
});
