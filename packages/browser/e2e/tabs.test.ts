import { expect, test } from 'vitest';
import { browser, embedPage, server, useE2E } from './harness';

useE2E({
  '/tab.html': embedPage(),
});

test('two open tabs share the IndexedDB queue (Web Locks): each kept batch is delivered once', async () => {
  const context = await browser.newContext();
  const tabs = await Promise.all([context.newPage(), context.newPage()]);
  server.ingestStatus = 503;
  for (const p of tabs) {
    await p.goto(`${server.url}/tab.html`);
    await p.waitForFunction(() => (window as any).JourneyEmbed?.version);
  }
  const ids = (
    await Promise.all(
      tabs.map((p, t) =>
        p.evaluate((t) => {
          const j = (window as any).JourneyEmbed;
          const out = [0, 1, 2].map((i) => j.track('tab_event', { t, i }).id);
          j.flush();
          return out;
        }, t),
      ),
    )
  ).flat();
  await server.until(() => server.ingests().filter((r) => r.status === 503).length >= 2, 'both tabs refused');
  const before = server.ingests().length;
  server.ingestStatus = 204;
  // both tabs learn at once that the network is back, and drain the shared queue
  await Promise.all(tabs.map((p) => p.evaluate(() => window.dispatchEvent(new Event('online')))));
  await server.until(() => ids.every((id) => server.events().some((e) => e.id === id)), 'every kept event');
  await new Promise((r) => setTimeout(r, 1000)); // let a duplicate, if any, arrive
  const accepted = server.ingests().slice(before).filter((r) => r.status < 300);
  const sent = accepted.flatMap((r) => JSON.parse(r.body).events.map((e: { id: string }) => e.id)).filter((id: string) => ids.includes(id));
  expect(sent.sort()).toEqual([...ids].sort()); // each kept event sent once after the outage
  await context.close();
});
