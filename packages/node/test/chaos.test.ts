/**
 * Crashes during delivery: a child process tracks and flushes and is SIGKILLed while the batches
 * are on their way; the next process with the same spool delivers them, and the real collector
 * stores every event exactly once.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runChild } from './helpers/child';
import { startCollector } from './helpers/collector';


const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const run = (mode: string, env: Record<string, string>) => runChild(mode, env, cleanup, 5);

const spooled = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.batch.json'))
    .reduce((n, f) => n + (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { count: number }).count, 0);

function tempSpool() {
  const d = mkdtempSync(join(tmpdir(), 'wm-node-chaos-'));
  cleanup.push(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

describe('SIGKILL during delivery', () => {
  it('killed when its first POST starts, a process that flushed 1,000 events has all of them in the spool', async () => {
    const dir = tempSpool();
    let kill = () => {};
    // the "collector" kills the process the moment its first request arrives, and never answers
    const trap = createServer((req) => {
      req.resume();
      kill();
    });
    await new Promise<void>((r) => trap.listen(0, '127.0.0.1', r));
    cleanup.push(() => new Promise((r) => (trap.closeAllConnections(), trap.close(r))));
    const first = run('chaos', { ENDPOINT: `http://127.0.0.1:${(trap.address() as AddressInfo).port}/api/ingest`, SPOOL_DIR: dir, COUNT: '1000' });
    kill = () => first.child.kill('SIGKILL');
    const { ids } = await first.firstLine<{ ids: string[] }>();
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(spooled(dir)).toBe(1000);

    const collector = await startCollector();
    cleanup.push(() => collector.destroy());
    const next = run('deliver', { ENDPOINT: collector.ingestUrl, SPOOL_DIR: dir });
    expect(await next.firstLine()).toEqual({ pending: 0 });
    expect((await collector.eventIds()).sort()).toEqual([...ids].sort());
  });

  it('killed at 20 random moments after flush() began, the next process with the same spool delivers every event exactly once', async () => {
    const dir = tempSpool();
    const collector = await startCollector();
    cleanup.push(() => collector.destroy());
    const all: string[] = [];
    for (let round = 0; round < 20; round++) {
      // each process first delivers what the one before left in the spool, then tracks its own
      const c = run('chaos', { ENDPOINT: collector.ingestUrl, SPOOL_DIR: dir, COUNT: '150', TAG: `r${round}`, FLUSH_AT: '40' });
      const { ids } = await c.firstLine<{ ids: string[] }>();
      all.push(...ids);
      await new Promise((r) => setTimeout(r, Math.random() * 60));
      c.child.kill('SIGKILL');
      await c.exited;
    }
    const last = run('deliver', { ENDPOINT: collector.ingestUrl, SPOOL_DIR: dir });
    expect(await last.firstLine()).toEqual({ pending: 0 });
    const stored = await collector.eventIds();
    expect(stored.length).toBe(all.length); // exactly once: no duplicate row
    expect([...stored].sort()).toEqual([...all].sort());
  }, 240_000);
});
