/**
 * The core's delivery queue on Node, against the real collector: batches always fit it, a spool
 * left by an earlier process is delivered at once, and sends and drops report the real outcome.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TrackerEvents } from '@waymark/core';
import { createNodeTracker } from '../src/client';
import type { NodeTrackerOptions } from '../src/types';
import { JOURNEY, ORG, startCollector } from './helpers/collector';
import { eventually } from './helpers/eventually';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function collectorUp() {
  const c = await startCollector();
  cleanup.push(() => c.destroy());
  return c;
}
const spool = () => {
  const d = mkdtempSync(join(tmpdir(), 'wm-node-delivery-'));
  cleanup.push(() => rmSync(d, { recursive: true, force: true }));
  return d;
};
const tracker = (o: Partial<NodeTrackerOptions> & { endpoint: string }) => {
  const t = createNodeTracker({ org: ORG, journey: JOURNEY, ...o });
  cleanup.push(() => t.shutdown({ timeout: 0 }));
  return t;
};


describe('delivery on Node', () => {
  it('a burst over the collector limit goes out in batches it takes (500 events at most), whatever flushBytes says', async () => {
    const collector = await collectorUp();
    const t = tracker({ endpoint: collector.ingestUrl, flushBytes: 600_000, flushAt: 5_000 });
    const ids = Array.from({ length: 1_000 }, (_, i) => t.track('step_view', { stepKey: `burst-${i}` })!.id);
    expect(await t.shutdown({ timeout: 15_000 })).toEqual({ pending: 0 });
    const stored = await collector.eventIds();
    expect(stored.filter((id) => ids.includes(id)).sort()).toEqual([...ids].sort());
  });

  it('a 413 splits the batch and retries the halves; nothing is dropped', async () => {
    const collector = await collectorUp();
    // a proxy that refuses any request over 100 events with 413, as a collector with a lower limit would
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', async () => {
        const body = Buffer.concat(chunks).toString();
        if ((JSON.parse(body).events as unknown[]).length > 100) return void res.writeHead(413, { 'content-type': 'application/json' }).end('{"error":{"code":"too_many_events","message":"x"}}');
        const r = await fetch(collector.ingestUrl, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
        res.writeHead(r.status).end(await r.text());
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanup.push(() => new Promise((r) => server.close(r)));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/ingest`;
    // one batch of 400 (flushBytes allows it), which the proxy refuses twice before the quarters pass
    const t = tracker({ endpoint: url, flushAt: 400, flushBytes: 600_000, gzipThreshold: 0 });
    const drops: TrackerEvents['drop'][] = [];
    const sends: TrackerEvents['send'][] = [];
    t.core.on('drop', (d) => drops.push(d));
    t.core.on('send', (s) => sends.push(s));
    const ids = Array.from({ length: 400 }, (_, i) => t.track('step_view', { stepKey: `split-${i}` })!.id);
    expect(await t.shutdown({ timeout: 15_000 })).toEqual({ pending: 0 });
    expect(drops).toEqual([]);
    expect(sends[0]).toMatchObject({ count: 400, result: { status: 'rejected', code: 413 } });
    // the parts in the proxy's limit are delivered, together exactly the 400 events
    expect(sends.filter((s) => s.result.status === 'delivered').reduce((n, s) => n + s.count, 0)).toBe(400);
    expect((await collector.eventIds()).sort()).toEqual([...ids].sort());
  });

  it('a process that opens a spool with pending batches delivers them at once, with no new event or flush', async () => {
    const dir = spool();
    const down = tracker({ endpoint: 'http://127.0.0.1:9/api/ingest', spoolDir: dir });
    const ids = Array.from({ length: 300 }, (_, i) => down.track('step_view', { stepKey: `restart-${i}` })!.id);
    await down.flush();
    expect((await down.shutdown({ timeout: 0 })).pending).toBe(300);

    const collector = await collectorUp();
    tracker({ endpoint: collector.ingestUrl, spoolDir: dir }); // nothing else is called on it
    await eventually(async () => expect((await collector.eventIds()).sort()).toEqual([...ids].sort()), 20_000);
  });

  it("reports the real outcome: a 400 is a send with status rejected and a drop with reason 'rejected'", async () => {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"code":"invalid_batch","message":"no"}}'));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanup.push(() => new Promise((r) => server.close(r)));
    const t = tracker({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/ingest` });
    const sends: TrackerEvents['send'][] = [];
    const drops: TrackerEvents['drop'][] = [];
    t.core.on('send', (s) => sends.push(s));
    t.core.on('drop', (d) => drops.push(d));
    t.track('step_view', { stepKey: 'refused' });
    await t.flush();
    expect(sends.map((s) => s.result.status)).toEqual(['rejected']);
    expect(drops).toEqual([{ count: 1, reason: 'rejected' }]);
    expect(t.pendingEvents).toBe(0);
  });
});
