import { describe, expect, it } from 'vitest';
import { buildPixelUrl, sendPixelEvent } from '../src/pixel';

const base = 'https://collector.example.com';

describe('buildPixelUrl', () => {
  it('builds the documented example 1 URL with values URL-encoded', () => {
    expect(buildPixelUrl(base, { message: 'Please track me', si: 'pixel.example.com' })).toBe(
      'https://collector.example.com/log?message=Please%20track%20me&si=pixel.example.com',
    );
  });

  it('targets /pixel.gif, keeps a path prefix, and sends numbers and booleans as text', () => {
    expect(buildPixelUrl(`${base}/waymark/`, { si: 's', sid: '1234567890', n: 3, ok: true }, { path: 'pixel.gif' })).toBe(
      'https://collector.example.com/waymark/pixel.gif?si=s&sid=1234567890&n=3&ok=true',
    );
  });

  it('encodes reserved characters in values and names so they cannot add properties', () => {
    const url = new URL(buildPixelUrl(base, { si: 's', 'a&b': 'x=1&sid=forged', emoji: 'é ✓' }));
    expect([...url.searchParams]).toEqual([
      ['si', 's'],
      ['a&b', 'x=1&sid=forged'],
      ['emoji', 'é ✓'],
    ]);
  });

  it('skips undefined values', () => {
    expect(buildPixelUrl(base, { si: 's', uid: undefined, m: 'x' })).toBe(`${base}/log?si=s&m=x`);
  });

  it.each([
    [{ message: 'x' }, /expected "si" \(the site\) to be a non-empty string, got undefined/],
    [{ si: '' }, /expected "si" \(the site\) to be a non-empty string, got ""/],
    [{ si: 's', 'first name': 'x' }, /expected property names of ASCII characters without spaces, got "first name"/],
    [{ si: 's', 'prénom': 'x' }, /expected property names of ASCII characters without spaces, got "prénom"/],
    [{ si: 's', sid: '' }, /expected "sid" to be a non-empty string when given, got ""/],
    [{ si: 's', uid: 42 }, /expected "uid" to be a non-empty string when given, got 42/],
    [{ si: 's', eid: 'mine' }, /expected no "eid" property \(the collector generates every event id\), got "mine"/],
    [{ si: 's', n: Number.NaN }, /expected property "n" to be a string, a finite number or a boolean, got NaN/],
    [{ si: 's', o: { a: 1 } }, /expected property "o" to be a string, a finite number or a boolean, got an object/],
  ])('refuses %j with a clear error', (props, message) => {
    expect(() => buildPixelUrl(base, props as never)).toThrow(message);
  });

  it('refuses a bad endpoint, a bad path and an over-long URL', () => {
    expect(() => buildPixelUrl('collector', { si: 's' })).toThrow(/expected endpoint to be the collector's http\(s\) base URL, got "collector"/);
    expect(() => buildPixelUrl('ftp://x', { si: 's' })).toThrow(/got "ftp:\/\/x"/);
    expect(() => buildPixelUrl(base, { si: 's' }, { path: 'img' as never })).toThrow(/expected path "log" or "pixel.gif", got "img"/);
    expect(() => buildPixelUrl(base, { si: 's', big: 'x'.repeat(9000) })).toThrow(/at most 8192 characters, got \d+; send it with \{ method: 'POST' \}/);
  });

  it('sendPixelEvent rejects malformed properties before sending anything', async () => {
    let called = false;
    const fetchSpy = (async () => {
      called = true;
      return new Response('x');
    }) as typeof fetch;
    await expect(sendPixelEvent(base, { si: '' }, { fetch: fetchSpy })).rejects.toThrow(/expected "si"/);
    await expect(sendPixelEvent(base, { si: '' }, { fetch: fetchSpy, method: 'POST' })).rejects.toThrow(/expected "si"/);
    expect(called).toBe(false);
  });
});
