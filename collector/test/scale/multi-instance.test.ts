/**
 * Scale-out on one PostgreSQL database: three collector processes (`start --no-processor`) and
 * two processor processes receive a large interleaved stream, shuffled out of time order, with
 * duplicates (exact re-sends and re-split batches, to other collectors). One collector is killed
 * with SIGKILL mid-run; batches it did not answer are retried elsewhere, as the SDKs do.
 *
 * Then: every batch any collector answered 204 is stored, no event is stored twice, every counter
 * equals the counter of a SQLite collector that received each event exactly once, and the
 * analytics API answers the ground truth computed straight from the generated events.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../src/config/schema';
import { createPostgresStore } from '../../src/store/postgres/index';
import { createSqliteStore } from '../../src/store/sqlite/index';
import { startTestCollector } from '../../src/testing';
import { startChildCollector } from '../helpers/child';
import { createTestSchema, type TestSchema } from '../postgres/pg-test-db';
import { exitOf, postJson, startProcessorProcess } from './procs';
import { API_KEY, batchBody, DAYS, groundTruth, makeStream, ORG, rng, shuffle, TOURS, type WireEvent } from './stream';

const db = await createTestSchema('wmscale');
const USERS = 2200; // ≈ 24k events
const dir = mkdtempSync(join(tmpdir(), 'waymark-scale-'));
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await Promise.all(children.map(exitOf));
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

const config: ConfigInput = { orgs: [{ key: ORG, apiKeys: [API_KEY], rateLimit: { requests: 1_000_000_000, perSeconds: 3600 } }], logLevel: 'warn' };

describe.skipIf(!db)('three collectors and two processors on one PostgreSQL database', () => {
  it('store every acknowledged batch once and count every event exactly once', async () => {
    const t = db as TestSchema;
    const env = { DATABASE_URL: t.url, WAYMARK_DATABASE_SCHEMA: t.schema };
    const store = createPostgresStore({ url: t.url, schema: t.schema });
    await store.migrate();
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    const args = ['--config', join(dir, 'config.json'), '--no-processor'];
    const collectors = await Promise.all([0, 1, 2].map(() => startChildCollector(args, env)));
    children.push(...collectors.map((c) => c.child));
    const processors = await Promise.all([0, 1].map(() => startProcessorProcess(['--config', join(dir, 'config.json'), '--batch-size', '300'], env)));
    children.push(...processors);

    // the stream: shuffled out of order, batches of 20, plus duplicates re-sent or re-split
    const r = rng(7);
    const events = makeStream(USERS);
    const shuffled = shuffle(events, r);
    const batches: WireEvent[][] = [];
    for (let i = 0; i < shuffled.length; i += 20) batches.push(shuffled.slice(i, i + 20));
    const sends: WireEvent[][] = [...batches];
    for (let i = 0; i + 1 < batches.length; i += 5) {
      sends.push(batches[i]!); // exact re-send (a retry after a lost answer)
      const merged = [...batches[i + 1]!, ...batches[i]!].reverse();
      sends.push(merged.slice(0, 13), merged.slice(13)); // re-split (beacon, then retry)
    }
    const queue = shuffle(sends, r);

    // workers post round-robin over live collectors; a failed send is retried on another one
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    const killed = 1;
    let dead = false;
    let acked = 0;
    const ackedByKilled: string[] = [];
    let next = 0;
    const worker = async (w: number) => {
      for (let i = next++; i < queue.length; i = next++) {
        const body = batchBody(queue[i]!);
        for (let attempt = 0; ; attempt++) {
          expect(attempt).toBeLessThan(20);
          const target = (i + w + attempt) % 3;
          if (dead && target === killed) continue;
          const status = await postJson(`${collectors[target]!.url}/v1/sdk/events`, body, agent);
          if (status === 204) {
            acked++;
            if (target === killed) ackedByKilled.push(...queue[i]!.map((e) => e.id));
            break;
          }
          expect([0, 503]).toContain(status); // only a dead collector or a busy store may refuse
        }
      }
    };
    const running = Promise.all(Array.from({ length: 12 }, (_, w) => worker(w)));
    while (acked < queue.length * 0.4) await new Promise((res) => setTimeout(res, 20));
    collectors[killed]!.child.kill('SIGKILL');
    dead = true;
    await exitOf(collectors[killed]!.child);
    await running;
    agent.destroy();
    expect(ackedByKilled.length).toBeGreaterThan(0);

    // wait (bounded) for the processors to drain the outbox
    const deadline = Date.now() + 120_000;
    while ((await store.outboxBacklog()) > 0 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 200));
    expect(await store.outboxBacklog()).toBe(0);

    // stored: everything once, including every batch the killed collector acknowledged
    expect(await store.countEvents(ORG)).toBe(events.length);
    const dup = await store.pool.query('SELECT org, event_id FROM raw_events GROUP BY 1, 2 HAVING count(*) > 1 LIMIT 5');
    expect(dup.rows).toEqual([]);
    const present = await store.pool.query<{ n: number }>('SELECT count(*) AS n FROM raw_events WHERE org = $1 AND event_id = ANY($2::text[])', [ORG, ackedByKilled]);
    expect(present.rows[0]!.n).toBe(new Set(ackedByKilled).size);

    // counted: every counter equals a SQLite collector's that got each event exactly once
    const ref = await startTestCollector({ config, store: createSqliteStore({ filename: join(dir, 'ref.db') }) });
    const refAgent = new Agent({ keepAlive: true, maxSockets: 4 });
    for (const b of batches) expect(await postJson(`${ref.url}/v1/sdk/events`, batchBody(b), refAgent)).toBe(204);
    refAgent.destroy();
    await ref.drain();
    const pgCounters = await store.readCounters({ orgKey: ORG });
    expect(pgCounters.length).toBeGreaterThan(100);
    expect(pgCounters).toEqual(await ref.store.readCounters({ orgKey: ORG }));

    // answered: the analytics API of a surviving collector equals the ground truth (and the reference)
    const truth = groundTruth(events);
    const live = collectors[0]!.url;
    const get = async (base: string, path: string) => {
      const res = await fetch(`${base}/v1/admin${path}`, { headers: { 'x-api-key': API_KEY } });
      expect(res.status).toBe(200);
      return (await res.json()) as { data: any };
    };
    for (const tour of TOURS) {
      const q = `/analytics/tours/${tour}?date_from=${DAYS[0]}&date_to=${DAYS[DAYS.length - 1]}`;
      const answer = await get(live, q);
      const days = truth.get(tour)!;
      const sum = (k: 'starts' | 'completions' | 'dismissals') => [...days.values()].reduce((n, d) => n + d[k], 0);
      expect(answer.data.totals).toMatchObject({ starts: sum('starts'), completions: sum('completions'), dismissals: sum('dismissals') });
      for (const d of answer.data.daily as { date: string; starts: number; completions: number; dismissals: number }[]) {
        const want = days.get(d.date) ?? { starts: 0, completions: 0, dismissals: 0 };
        expect({ starts: d.starts, completions: d.completions, dismissals: d.dismissals }).toEqual(want);
      }
      expect(answer).toEqual(await get(ref.url, q));
      const hourly = `/analytics/tours/${tour}?date=${DAYS[1]}&granularity=hourly`;
      expect(await get(live, hourly)).toEqual(await get(ref.url, hourly));
    }
    await ref.stop();

    // both processors took part (SKIP LOCKED lets them claim side by side) and stop cleanly
    const outputs = processors.map((p) => {
      let out = '';
      p.stdout!.on('data', (d) => (out += d));
      return () => out;
    });
    for (const c of [collectors[0]!, collectors[2]!]) c.child.kill('SIGTERM');
    for (const p of processors) p.kill('SIGTERM');
    await Promise.all([...processors, collectors[0]!.child, collectors[2]!.child].map(exitOf));
    const counts = outputs.map((o) => Number(/stopped after (\d+) outbox rows/.exec(o())?.[1] ?? -1));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(events.length);
    expect(Math.min(...counts)).toBeGreaterThan(0);
    await store.close();
    console.log(`multi-instance: ${events.length} events, ${queue.length} batches sent (${queue.length - batches.length} duplicates), processors applied ${counts.join(' + ')} outbox rows`);
  }, 300_000);
});
