import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SendResult } from '@waymark/core';
import { createOutbox, type OutboxOptions, type OutboxTimers } from '../src/outbox';
import { createSpool } from '../src/spool';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'wm-outbox-'));
  dirs.push(d);
  return d;
};

/** Real timers that remember whether each one would keep the process alive. */
function recordingTimers() {
  const made: { ms: number; keepAlive: boolean }[] = [];
  const timers: OutboxTimers = {
    setTimeout(fn, ms, keepAlive) {
      made.push({ ms, keepAlive });
      const t = setTimeout(fn, ms);
      if (!keepAlive) t.unref();
      return t;
    },
    clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  };
  return { timers, made };
}

const body = (n: number) => JSON.stringify({ schemaVersion: 1, context: { orgKey: 'o' }, events: [{ n }] });

function outbox(send: (b: string) => Promise<SendResult>, extra: Partial<OutboxOptions> = {}) {
  const { timers, made } = recordingTimers();
  const box = createOutbox({ send, maxBatches: 100, maxAge: 60_000, timers, now: Date.now, backoff: { baseDelay: 20, maxDelay: 100 }, ...extra });
  return { box, made };
}

describe('createOutbox', () => {
  it('writes a batch to the spool before sending it and removes it only once delivered', async () => {
    const dir = tmp();
    let release!: (r: SendResult) => void;
    const sent: string[] = [];
    const { box } = outbox(
      (b) => {
        sent.push(b);
        expect(readdirSync(dir).filter((f) => f.endsWith('.batch.json'))).toHaveLength(1); // on disk while in flight
        return new Promise((r) => (release = r));
      },
      { store: createSpool({ dir }) },
    );
    await box.enqueue(body(1), 1);
    const flushed = box.flush();
    await new Promise((r) => setTimeout(r, 20));
    release({ status: 'delivered' });
    await flushed;
    expect(sent).toEqual([body(1)]);
    expect(readdirSync(dir)).toEqual([]);
    expect(box.pendingEvents).toBe(0);
  });

  it('waits out Retry-After before the next attempt, on a timer that does not keep the process alive', async () => {
    const at: number[] = [];
    const { box, made } = outbox(async () => {
      at.push(Date.now());
      return at.length === 1 ? { status: 'retryable', reason: 'http_503', retryAfterMs: 300 } : { status: 'delivered' };
    });
    await box.enqueue(body(1), 1);
    await box.flush();
    expect(box.pendingBatches).toBe(1);
    expect(made.at(-1)).toMatchObject({ keepAlive: false });
    expect(made.at(-1)!.ms).toBeGreaterThan(250);
    await new Promise((r) => setTimeout(r, 450));
    expect(at).toHaveLength(2);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(295);
    expect(box.pendingBatches).toBe(0);
    box.close();
  });

  it('backs off exponentially without Retry-After and keeps order (head of line)', async () => {
    const seen: string[] = [];
    let failures = 3;
    const { box } = outbox(async (b) => {
      seen.push(b);
      return failures-- > 0 ? { status: 'retryable', reason: 'network_error' } : { status: 'delivered' };
    });
    await box.enqueue(body(1), 1);
    await box.enqueue(body(2), 1);
    expect(await box.drain(2_000)).toBe(0);
    expect(seen).toEqual([body(1), body(1), body(1), body(1), body(2)]);
  });

  it('drain gives up at its timeout and reports what is left', async () => {
    const { box } = outbox(async () => ({ status: 'retryable', reason: 'http_503', retryAfterMs: 10_000 }));
    await box.enqueue(body(1), 3);
    const t = Date.now();
    expect(await box.drain(200)).toBe(3);
    expect(Date.now() - t).toBeLessThan(1_000);
    box.close();
  });

  it('drops a rejected batch and goes on with the next', async () => {
    const drops: string[] = [];
    const { box } = outbox(async (b) => (b === body(1) ? { status: 'rejected', reason: 'http_400', code: 400 } : { status: 'delivered' }), {
      onDrop: (n, reason) => drops.push(`${n}:${reason}`),
    });
    await box.enqueue(body(1), 2);
    await box.enqueue(body(2), 1);
    await box.flush();
    expect(drops).toEqual(['2:rejected']);
    expect(box.pendingBatches).toBe(0);
  });

  it('is bounded: beyond maxBatches the oldest is dropped and counted in the next delivered batch', async () => {
    let up = false;
    const delivered: string[] = [];
    const { box } = outbox(async (b) => (up ? (delivered.push(b), { status: 'delivered' }) : { status: 'retryable', reason: 'down' }), {
      maxBatches: 2,
    });
    await box.enqueue(body(1), 5);
    await box.enqueue(body(2), 1);
    await box.enqueue(body(3), 1);
    expect(box.pendingBatches).toBe(2);
    up = true;
    expect(await box.drain(2_000)).toBe(0);
    expect(delivered.map((b) => JSON.parse(b))).toEqual([
      { schemaVersion: 1, context: { orgKey: 'o', dropped: 5 }, events: [{ n: 2 }] },
      { schemaVersion: 1, context: { orgKey: 'o' }, events: [{ n: 3 }] },
    ]);
  });

  it('keeps delivering from memory when the spool cannot be written', async () => {
    const logs: string[] = [];
    const failing = { put: async () => Promise.reject(new Error('ENOSPC')), list: async () => [], remove: async () => undefined };
    const seen: string[] = [];
    const { box } = outbox(async (b) => (seen.push(b), { status: 'delivered' }), { store: failing, log: (m) => logs.push(m) });
    await box.enqueue(body(1), 1);
    await box.flush();
    expect(seen).toEqual([body(1)]);
    expect(logs).toContain('spool write failed, batch kept in memory: ENOSPC');
  });

  it('resumes batches spooled by an earlier process before newer ones', async () => {
    const dir = tmp();
    const first = outbox(async () => ({ status: 'retryable', reason: 'down' }), { store: createSpool({ dir }) });
    await first.box.enqueue(body(1), 1);
    await first.box.enqueue(body(2), 1);
    first.box.close();
    const seen: string[] = [];
    const second = outbox(async (b) => (seen.push(b), { status: 'delivered' }), { store: createSpool({ dir }) });
    await second.box.enqueue(body(3), 1);
    await second.box.flush();
    expect(seen).toEqual([body(1), body(2), body(3)]);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('countEvents', () => {
  it('counts the events of a batch, not a custom property named _tag', async () => {
    const { countEvents } = await import('../src/client');
    const body = JSON.stringify({
      schemaVersion: 1,
      context: { orgKey: 'o' },
      events: [{ _tag: 'a', props: { _tag: 'sneaky' } }, { _tag: 'b', note: ',{"_tag":"x"}' }, { _tag: 'c' }],
    });
    expect(countEvents(body)).toBe(3);
  });
});
