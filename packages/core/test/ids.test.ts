import { afterEach, describe, expect, it, vi } from 'vitest';
import { uuid } from '@waymark/core';
import { KNOWN_TYPES } from '../src/known';
import { eventSchemas } from '@waymark/core/schema';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** The ms time in a v7 id's first 48 bits. */
const msOf = (id: string) => parseInt(id.slice(0, 8) + id.slice(9, 13), 16);

describe('uuid', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('is a v7: the time in ms, a counter inside the ms, then random bits drawn once per ms (RFC 9562 method 1)', () => {
    vi.useFakeTimers({ now: Date.parse('2026-11-23T07:00:00.123Z'), toFake: ['Date'] });
    const draw = vi.fn((a: Uint32Array) => (a.set([0x0f0e0d0c, 0x0b0a0988]), a));
    vi.stubGlobal('crypto', { getRandomValues: draw });
    const id = uuid();
    // the counter starts at the low 11 bits of the first word (0x50c); the variant tops the random bits
    expect(id).toBe('01a20734-55fb-750c-83c3-83430b0a0988');
    expect(id).toMatch(V7);
    expect(msOf(id)).toBe(Date.parse('2026-11-23T07:00:00.123Z'));
    expect(uuid()).toBe('01a20734-55fb-750d-83c3-83430b0a0988');
    expect(draw).toHaveBeenCalledTimes(1);
  });

  it('stays unique and increasing within one ms (the counter borrows the next ms on overflow) and when the clock steps back', () => {
    vi.useFakeTimers({ now: Date.parse('2026-11-23T07:00:00Z'), toFake: ['Date'] });
    const ids: string[] = [];
    for (let i = 0; i < 10_000; i++) ids.push(uuid());
    vi.setSystemTime(Date.parse('2026-11-23T06:59:59Z'));
    for (let i = 0; i < 100; i++) ids.push(uuid());
    expect(ids.every((id) => V7.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('ids made later sort later (the collector\'s id indexes grow at their end)', () => {
    vi.useFakeTimers({ now: Date.parse('2026-11-23T07:00:00Z'), toFake: ['Date'] });
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) {
      ids.push(uuid());
      vi.advanceTimersByTime(1);
    }
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(50);
    for (const id of ids) expect(id).toMatch(V7);
  });

  it('falls back to getRandomValues outside secure contexts (no randomUUID)', () => {
    const real = globalThis.crypto;
    const getRandomValues = vi.fn((a: Uint8Array) => real.getRandomValues(a));
    vi.stubGlobal('crypto', { getRandomValues });
    const ids = Array.from({ length: 200 }, uuid);
    for (const id of ids) expect(id).toMatch(V7);
    expect(new Set(ids).size).toBe(200);
    expect(getRandomValues).toHaveBeenCalled();
  });
});

describe('known event types', () => {
  it('match the schema in events.ts', () => {
    expect(KNOWN_TYPES.split(' ').sort()).toEqual(Object.keys(eventSchemas).sort());
  });
});
