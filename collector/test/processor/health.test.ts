// waymark-test-store: both-engines
/**
 * `/health` tells the truth about the processor, on each engine: `503 processor_failing` once it
 * has failed several runs in a row (a transient store error, retried with backoff meanwhile),
 * `503 processor_lagging` when the oldest waiting event is older than `processor.maxLagSeconds`
 * (also on a collector that runs no processor itself), the lag in `/metrics`, and `200 ok` again
 * once it catches up, with every batch counted once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { aggregate } from '../../src/rollups/aggregate';
import { TEST_CONFIG } from '../../src/testing';
import { makeBatch } from '../helpers/collector';
import { ENGINES, startEngineCollector, type Engine } from '../helpers/engines';

const transient: Record<Engine, () => Error & { code: string }> = {
  sqlite: () => Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }),
  postgres: () => Object.assign(new Error('deadlock detected'), { code: '40P01' }),
};

describe.each(ENGINES)('/health and the processor on %s', (engine) => {
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
    stop = undefined;
  });
  const health = async (url: string) => {
    const r = await fetch(`${url}/health`);
    return { status: r.status, body: (await r.json()) as any };
  };
  const post = (url: string, batch: object) =>
    fetch(`${url}/api/ingest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch) }).then((r) => r.status);

  it('answers 503 while the processor keeps failing, backs off, and recovers', async () => {
    const c = await startEngineCollector(engine);
    stop = c.stop;
    const real = c.store.processOutbox.bind(c.store);
    let calls = 0;
    c.store.processOutbox = async () => {
      calls++;
      throw transient[engine]();
    };
    const batch = makeBatch(3);
    expect(await post(c.url, batch)).toBe(204); // ingest is unaffected
    // six failures: the backoff is then 8-16 s, far longer than the checks below even on a loaded machine
    for (let i = 0; i < 6; i++) await expect(c.drain()).rejects.toMatchObject({ code: transient[engine]().code });
    const h = await health(c.url);
    expect(h.status).toBe(503);
    expect(h.body).toMatchObject({
      status: 'failing',
      error: { code: 'processor_failing' },
      processor: { running: true, consecutive_failures: expect.any(Number), last_error: transient[engine]().message, failing_since: expect.any(String) },
    });
    expect(h.body.processor.consecutive_failures).toBeGreaterThanOrEqual(6);
    // backing off: new commits do not start a run before the wait is over
    const before = calls;
    expect(await post(c.url, makeBatch(2))).toBe(204);
    await new Promise((r) => setTimeout(r, 300));
    expect(calls).toBe(before);

    c.store.processOutbox = real;
    await c.drain();
    expect((await health(c.url)).body).toMatchObject({ status: 'ok', processor: { consecutive_failures: 0, last_error: null } });
    const sessions = await c.store.readCounters({ orgKey: 'test-org', metric: 'sessions', granularity: 'day' });
    expect(sessions.reduce((n, x) => n + x.value, 0)).toBe(2); // both batches, once each
  });

  it('answers 503 when the oldest waiting event is older than processor.maxLagSeconds, and reports the lag in /metrics', async () => {
    // a collector that runs no processor, two minutes ahead of the store's clock
    const c = await startEngineCollector(engine, {
      config: { ...TEST_CONFIG, processor: { maxLagSeconds: 60 } },
      inProcessProcessor: false,
      now: () => Date.now() + 120_000,
    });
    stop = c.stop;
    expect((await health(c.url)).body).toMatchObject({ status: 'ok', processor: { running: false, lag_seconds: 0, max_lag_seconds: 60 } });
    expect(await post(c.url, makeBatch(4))).toBe(204);
    const h = await health(c.url);
    expect(h.status).toBe(503);
    expect(h.body).toMatchObject({ status: 'failing', error: { code: 'processor_lagging' }, processor: { running: false } });
    expect(h.body.processor.lag_seconds).toBeGreaterThan(100);
    const lag = Number(/^waymark_processor_lag_seconds (\S+)$/m.exec(await (await fetch(`${c.url}/metrics`)).text())?.[1]);
    expect(lag).toBeGreaterThan(100);
    // a separate processor catches up
    while ((await c.store.processOutbox(100, aggregate)) > 0);
    expect(await health(c.url)).toMatchObject({ status: 200, body: { status: 'ok', processor: { lag_seconds: 0 } } });
  });
});
