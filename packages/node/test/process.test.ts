/**
 * What only separate processes can show: a spool that survives SIGKILL and is delivered by the
 * next process, timers that never keep a process alive, and the opt-in signal handler.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runChild } from './helpers/child';
import { startCollector, type TestCollector } from './helpers/collector';


const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const run = (mode: string, env: Record<string, string>) => runChild(mode, env, cleanup);

async function collectorUp(opts?: Parameters<typeof startCollector>[0]): Promise<TestCollector> {
  const c = await startCollector(opts);
  cleanup.push(() => c.destroy());
  return c;
}

describe('across processes', () => {
  it('a spool written before SIGKILL is delivered, each event once, by the next process', async () => {
    const spoolDir = mkdtempSync(join(tmpdir(), 'wm-node-spool-'));
    cleanup.push(() => rmSync(spoolDir, { recursive: true, force: true }));
    const collector = await collectorUp();
    await collector.stop(); // down: the first process can only spool

    const first = run('spool', { ENDPOINT: collector.ingestUrl, SPOOL_DIR: spoolDir, COUNT: '30' });
    const { ids, pending } = await first.firstLine<{ ids: string[]; pending: number }>();
    expect(pending).toBe(30);
    first.child.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const files = readdirSync(spoolDir).filter((f) => f.endsWith('.batch.json'));
    const spooled = files.reduce((n, f) => n + (JSON.parse(readFileSync(join(spoolDir, f), 'utf8')) as { count: number }).count, 0);
    expect(spooled).toBe(30);

    const back = await collectorUp({ dataDir: collector.dataDir, port: collector.port });
    const second = run('deliver', { ENDPOINT: back.ingestUrl, SPOOL_DIR: spoolDir });
    expect(await second.firstLine()).toEqual({ pending: 0 });
    expect(await second.exited).toEqual({ code: 0, signal: null });
    expect(await back.eventIds()).toEqual(ids);
    expect(readdirSync(spoolDir)).toEqual([]);
  });

  it('never keeps a process alive: with a retry pending an hour away, the process exits by itself', async () => {
    const child = run('idle', { ENDPOINT: 'http://127.0.0.1:9/api/ingest' });
    expect(await child.firstLine()).toEqual({ pending: 1 });
    const t = Date.now();
    expect(await child.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - t).toBeLessThan(5_000);
  });

  it('with handleSignals, SIGTERM delivers what is buffered, then the process ends by that signal', async () => {
    const collector = await collectorUp();
    const child = run('signal', { ENDPOINT: collector.ingestUrl, COUNT: '40' });
    const { ids } = await child.firstLine<{ ids: string[] }>();
    expect(await collector.eventIds()).toEqual([]); // all still buffered
    child.child.kill('SIGTERM');
    expect(await child.exited).toEqual({ code: null, signal: 'SIGTERM' });
    expect(await collector.eventIds()).toEqual(ids);
  });

  it('with handleSignals, a script that ends without shutdown() still delivers its buffer (beforeExit)', async () => {
    const collector = await collectorUp();
    const child = run('forget', { ENDPOINT: collector.ingestUrl, COUNT: '25' });
    const { ids } = await child.firstLine<{ ids: string[] }>();
    expect(await child.exited).toEqual({ code: 0, signal: null });
    expect(await collector.eventIds()).toEqual(ids);
  });
});
