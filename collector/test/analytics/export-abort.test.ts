// waymark-test-store: both-engines
/**
 * A client that leaves in the middle of `GET /v1/admin/export` stops the reads, on each engine:
 * the route reads what the socket buffers take before the close is seen, and no more.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawEvent } from '../../src/store/types';
import { TEST_API_KEY } from '../../src/testing';
import { ENGINES, startEngineCollector } from '../helpers/engines';

const EVENTS = 30_000; // 30 pages
const T0 = Date.UTC(2025, 4, 2);

function events(): RawEvent[] {
  return Array.from({ length: EVENTS }, (_, i) => ({
    orgKey: 'test-org', env: 'prod', contentKind: 'journey', contentId: 'test-journey', ts: T0 + i * 1000,
    eventId: `e${i}`, sessionId: `s${i % 100}`, clientId: `c${i % 50}`, type: 'page_view', source: 'sdk',
    json: JSON.stringify({ _tag: 'page_view', id: `e${i}`, url: 'https://app.example.com/a', pad: 'x'.repeat(300) }),
  }));
}

describe.each(ENGINES)('export on %s', (engine) => {
  let c: Awaited<ReturnType<typeof startEngineCollector>>;
  let pages = 0;

  beforeAll(async () => {
    c = await startEngineCollector(engine);
    const all = events();
    for (let i = 0; i < all.length; i += 2000) await c.store.append(all.slice(i, i + 2000));
    const reader = c.store.analytics;
    const read = reader.exportPage.bind(reader);
    reader.exportPage = (q) => {
      pages++;
      return read(q);
    };
  }, 120_000);
  afterAll(() => c?.stop());

  it('stops reading pages when the client goes away', async () => {
    const { hostname: host, port } = new URL(c.url);
    await new Promise<void>((resolve, reject) => {
      const req = request({ host, port, path: '/v1/admin/export?date_from=2025-05-02&date_to=2025-05-02', headers: { 'x-api-key': TEST_API_KEY } }, (res) => {
        expect(res.statusCode).toBe(200);
        // the first bytes arrived: leave without reading on
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
      req.end();
    });
    await new Promise((r) => setTimeout(r, 500));
    const after = pages;
    await new Promise((r) => setTimeout(r, 300));
    expect(pages).toBe(after);
    // what the sockets' kernel buffers took before the close was seen (a few MB), not the export
    expect(after).toBeLessThan(EVENTS / 1000 / 2);
  });

  it('streams every row to a client that stays', async () => {
    pages = 0;
    const r = await fetch(`${c.url}/v1/admin/export?date_from=2025-05-02&date_to=2025-05-02`, { headers: { 'x-api-key': TEST_API_KEY } });
    const lines = (await r.text()).trim().split('\n');
    expect(lines).toHaveLength(EVENTS);
    expect(lines.map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(events().map((e) => e.eventId));
    expect(pages).toBe(EVENTS / 1000 + 1);
  });
});
