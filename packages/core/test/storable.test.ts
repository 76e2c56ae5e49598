import { describe, expect, it } from 'vitest';
import { isStorable, unstorableReason, utf8Length, validateBatch } from '@waymark/core/schema';
import { uuid } from '@waymark/core';
import { FORMAT_FIELDS, SAMPLE_TYPES, sampleEvent } from './fixtures/sample-events';

const batchOf = (event: Record<string, unknown>, context: Record<string, unknown> = {}) => ({
  schemaVersion: 1,
  context: { orgKey: 'your-org-slug', journeyKey: 'grant-application', language: 'en-US', ...context },
  events: [event],
});

describe('the string rule', () => {
  it('accepts every Unicode scalar value but U+0000, alone and in pairs', () => {
    let refused = 0;
    for (let cp = 1; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      if (!isStorable(`a${String.fromCodePoint(cp)}b`)) refused++;
    }
    expect(refused).toBe(0);
    expect(isStorable('😀 مرحبا 中文 \uFFFF \u{10FFFF}')).toBe(true);
  });

  it('refuses NUL and lone surrogates, naming the code unit and its index', () => {
    expect(unstorableReason('ab\u0000')).toBe('contains U+0000 (NUL) at index 2, which the stores cannot hold');
    expect(unstorableReason('x\uD800')).toMatch(/^contains a lone UTF-16 surrogate U\+D800 at index 1 /);
    expect(unstorableReason('x\uDC00y')).toMatch(/U\+DC00 at index 1/);
    expect(unstorableReason('\uDE00\uD83D')).toMatch(/U\+DE00 at index 0/); // a pair the wrong way round
    expect(unstorableReason('😀\uD83D')).toMatch(/U\+D83D at index 2/);
    for (let c = 0xd800; c <= 0xdfff; c++) expect(isStorable(`id${String.fromCharCode(c)}`)).toBe(false);
  });

  it('counts UTF-8 bytes as the stores do', () => {
    for (const s of ['', 'abc', 'é', '中文', '😀', 'a😀中é'.repeat(50)]) expect(utf8Length(s)).toBe(new TextEncoder().encode(s).length);
  });

  it('never trips on the SDK ids', () => {
    for (let i = 0; i < 1000; i++) expect(isStorable(uuid())).toBe(true);
  });
});

describe('validateBatch and unstorable strings', () => {
  it('accepts the sample of every event type', () => {
    for (const type of SAMPLE_TYPES) expect(validateBatch(batchOf(sampleEvent(type))), type).toMatchObject({ ok: true });
  });

  it('refuses a NUL or a lone surrogate in every string field of every event type, naming event and field', () => {
    for (const type of SAMPLE_TYPES) {
      const sample = sampleEvent(type);
      for (const [field, value] of Object.entries(sample)) {
        if (typeof value !== 'string' || field === 'orgKey') continue; // orgKey must equal the batch's: checked below
        for (const bad of ['\u0000', '\uD800', '\uDFFF']) {
          const r = validateBatch(batchOf({ ...sample, [field]: `${value.slice(0, 3)}${bad}` }));
          expect(r.ok, `${type}.${field}`).toBe(false);
          if (r.ok) continue;
          expect(r.error.eventIndex).toBe(0);
          if (FORMAT_FIELDS.has(field)) continue; // refused as a bad format or enum value
          expect([r.error.path, r.error.message]).toEqual([`events[0].${field}`, expect.stringMatching(bad === '\u0000' ? /U\+0000/ : /lone UTF-16 surrogate/)]);
        }
      }
    }
  });

  it('refuses them in property names and values and in the batch context', () => {
    const e = sampleEvent('plan_upgraded');
    expect(validateBatch(batchOf({ ...e, props: { ['pl\u0000n']: 1 } }))).toMatchObject({
      ok: false,
      error: { path: 'events[0].props.pl\u0000n', message: expect.stringMatching(/^property name contains U\+0000/) },
    });
    expect(validateBatch(batchOf({ ...e, props: { plan: 'p\uDBFF' } }))).toMatchObject({ ok: false, error: { path: 'events[0].props.plan' } });
    for (const field of ['orgKey', 'journeyKey', 'language']) {
      const context = { [field]: 'x\u0000' };
      expect(validateBatch(batchOf(e, context)), field).toMatchObject({ ok: false, error: { path: `context.${field}`, message: expect.stringMatching(/U\+0000/) } });
    }
  });

  it('accepts custom events named like Object.prototype members', () => {
    for (const type of ['toString', 'constructor', 'hasOwnProperty', 'valueOf']) expect(validateBatch(batchOf(sampleEvent(type))), type).toMatchObject({ ok: true });
  });

  it('keeps ids that differ only in well-formed characters apart', () => {
    const r = validateBatch({ ...batchOf(sampleEvent('session_start', { id: 'a😀' })), events: ['a😀', 'a😁', 'a\uFFFD'].map((id) => sampleEvent('session_start', { id })) });
    expect(r.ok && r.batch.events.map((x) => x.id)).toEqual(['a😀', 'a😁', 'a\uFFFD']);
  });

  it('limits selectors to 1024 UTF-8 bytes (PostgreSQL index entries) as well as 1024 characters', () => {
    const ok = validateBatch(batchOf(sampleEvent('target_not_found', { selector: `#${'a'.repeat(1023)}` })));
    expect(ok.ok).toBe(true);
    const cjk = validateBatch(batchOf(sampleEvent('target_not_found', { selector: '中'.repeat(400) })));
    expect(cjk).toMatchObject({ ok: false, error: { path: 'events[0].selector', message: 'expected at most 1024 bytes in UTF-8, got 1200' } });
  });
});
