// @vitest-environment happy-dom
import { afterEach, expect, test, vi } from 'vitest';

afterEach(() => {
  vi.resetModules();
  delete (document as { currentScript?: unknown }).currentScript;
  delete (window as { JourneyEmbed?: unknown }).JourneyEmbed;
  document.head.innerHTML = '';
});

/** What the browser does while a classic script runs (an imported module has no currentScript). */
const running = (s: HTMLScriptElement) => Object.defineProperty(document, 'currentScript', { configurable: true, get: () => s });

type Api = { track(t: string, p?: object): { _tag: string; url: string } | null; flush(): Promise<void>; version: string; q?: unknown };

test('configures itself from its script tag and replays the snippet queue', async () => {
  const s = document.createElement('script');
  s.type = 'text/plain'; // happy-dom does not try to load it
  s.src = 'https://collector.example.com/embed/v1.js';
  Object.assign(s.dataset, { org: 'acme', journey: 'signup', env: 'staging', debug: 'true' });
  document.head.append(s);
  running(s);
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  const fetches: string[] = [];
  vi.spyOn(window, 'fetch').mockImplementation(async (url) => (fetches.push(String(url)), new Response(null, { status: 204 })));
  // what the loader snippet leaves behind
  const q = [['track', ['queued_one', { n: 1 }]], ['track', ['queued_two']]];
  (window as { JourneyEmbed?: unknown }).JourneyEmbed = { q };

  await import('../src/embed');
  const api = (window as unknown as { JourneyEmbed: Api }).JourneyEmbed;
  expect(api.version).toBe('0.0.0-dev');
  expect(api.q).toBeUndefined();
  const lines = log.mock.calls.map((c) => c.join(' '));
  expect(lines[0]).toMatch(/^\[JourneyEmbed\] session_start: [0-9a-f-]{36}$/);
  expect(lines.filter((l) => l.includes('queued_'))).toEqual([expect.stringContaining('queued_one'), expect.stringContaining('queued_two')]);
  await api.flush();
  // data-endpoint omitted: the ingest API on the script's own origin
  expect(fetches).toEqual(['https://collector.example.com/api/ingest']);
  const body = JSON.parse((window.fetch as unknown as { mock: { calls: [string, RequestInit][] } }).mock.calls[0]![1].body as string);
  expect(body.context).toMatchObject({ orgKey: 'acme', journeyKey: 'signup', env: 'staging' });
  expect(body.events.map((e: { _tag: string }) => e._tag)).toEqual(['session_start', 'page_view', 'queued_one', 'queued_two']);
});

test('a missing data-org is reported with console.error, not thrown; a second copy keeps the first tracker', async () => {
  const s = document.createElement('script');
  s.type = 'text/plain';
  s.src = '/embed/v1.js';
  s.dataset.org = '';
  document.head.append(s);
  running(s);
  const err = vi.spyOn(console, 'error').mockImplementation(() => {});
  await import('../src/embed');
  expect(String(err.mock.calls[0]?.[0])).toMatch(/expected/);
  expect((window as { JourneyEmbed?: unknown }).JourneyEmbed).toBeUndefined();

  vi.resetModules();
  const first = { version: '1.2.3', track: () => null };
  (window as { JourneyEmbed?: unknown }).JourneyEmbed = first;
  s.dataset.org = 'acme';
  await import('../src/embed');
  expect((window as { JourneyEmbed?: unknown }).JourneyEmbed).toBe(first);
});

test('data-submit-success-on="step": a submit attempt counts as a success when the next step shows', async () => {
  document.body.innerHTML = '<form name="apply"><section data-journey-step="details"><input name="email"></section></form>';
  const s = document.createElement('script');
  s.type = 'text/plain';
  s.src = '/embed/v1.js';
  Object.assign(s.dataset, { org: 'acme', submitSuccessOn: 'step' });
  document.head.append(s);
  running(s);
  vi.spyOn(window, 'fetch').mockImplementation(async () => new Response(null, { status: 204 }));
  await import('../src/embed');
  const api = (window as unknown as { JourneyEmbed: Api & { step(k: string): unknown } }).JourneyEmbed;
  const tags: string[] = [];
  const seen = (e: { _tag: string }) => tags.push(e._tag);
  (api as unknown as { on(e: string, f: typeof seen): void }).on('event', seen);
  document.forms[0]!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  api.step('confirmation');
  expect(tags).toEqual(['submit_attempt', 'submit_success', 'step_view']);
  document.body.innerHTML = '';
});
