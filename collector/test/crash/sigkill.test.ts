/**
 * Crash safety: a collector process under sustained ingest is killed with SIGKILL; every batch it
 * had answered 204 is in the store after a restart, and counted exactly once once the restarted
 * collector has processed the outbox rows the crash left behind.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { makeBatch, startTestCollector, TEST_CONFIG } from '../helpers/collector';
import { exited, startChildCollector } from '../helpers/child';

const dir = mkdtempSync(join(tmpdir(), 'waymark-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function postStatus(url: string, body: string, agent: Agent): Promise<number> {
  return new Promise((resolve) => {
    const req = request(`${url}/api/ingest`, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    req.on('error', () => resolve(0)); // connection reset by the kill: not acknowledged
    req.end(body);
  });
}

describe('SIGKILL under sustained ingest', () => {
  it('loses no batch that was answered 204 and counts each once after restart', async () => {
    const configFile = join(dir, 'config.json');
    writeFileSync(configFile, JSON.stringify({ ...TEST_CONFIG, logLevel: 'warn' }));
    const dataDir = join(dir, 'data');
    const { child, url } = await startChildCollector(['--config', configFile, '--data-dir', dataDir]);

    const acked: string[] = [];
    let sent = 0;
    let stop = false;
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const worker = async (w: number) => {
      for (let i = 0; !stop && i < 5000; i++) {
        const prefix = `crash_${w}_${i}`;
        const status = await postStatus(url, JSON.stringify(makeBatch(20, { prefix })), agent);
        sent++;
        if (status === 204) acked.push(prefix);
      }
    };
    const workers = Array.from({ length: 8 }, (_, w) => worker(w));
    // kill once a good number of batches has been acknowledged (bounded: at most 10 s)
    const deadline = Date.now() + 10_000;
    while (acked.length < 300 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    const { signal } = await exited(child);
    stop = true;
    await Promise.all(workers);
    agent.destroy();
    expect(signal).toBe('SIGKILL');
    expect(acked.length).toBeGreaterThan(50);

    const c = await startTestCollector({ dataDir, config: TEST_CONFIG });
    try {
      const stored = new Set<string>();
      for (let after = 0; ; ) {
        const rows = await c.store.listEvents({ orgKey: 'test-org', afterSeq: after, limit: 10_000 });
        if (rows.length === 0) break;
        for (const r of rows) stored.add(r.eventId);
        after = rows[rows.length - 1]!.seq;
      }
      const missing = acked.filter((p) => !Array.from({ length: 20 }, (_, i) => `${p}_${i}`).every((id) => stored.has(id)));
      expect(missing).toEqual([]);
      // whole batches only (one transaction each), and every stored session counted exactly once
      expect(stored.size % 20).toBe(0);
      await c.drain();
      const sessions = await c.store.readCounters({ orgKey: 'test-org', granularity: 'day', metric: 'sessions' });
      expect(sessions.reduce((n, r) => n + r.value, 0)).toBe(stored.size / 20);
      expect(await c.store.outboxBacklog()).toBe(0);
      console.log(`crash test: ${sent} batches sent, ${acked.length} answered 204, ${stored.size / 20} stored`);
    } finally {
      await c.stop();
    }
  }, 60_000);
});
