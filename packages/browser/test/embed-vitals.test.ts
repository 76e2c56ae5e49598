// @vitest-environment happy-dom
import { afterEach, expect, test, vi } from 'vitest';

vi.mock('web-vitals', () => {
  const on = () => () => {};
  return { onLCP: on, onINP: on, onCLS: on, onFCP: on, onTTFB: on };
});

type Embed = { version?: string; use?: (p: { name: string }) => void; q?: [string, unknown[]][] };
const w = window as unknown as { JourneyEmbed?: Embed };

afterEach(() => {
  vi.resetModules();
  delete w.JourneyEmbed;
});

test('after the embed: the add-on hands its plugin to JourneyEmbed.use', async () => {
  const use = vi.fn();
  w.JourneyEmbed = { version: '1.0.0', use };
  await import('../src/embed-vitals');
  expect(use).toHaveBeenCalledWith(expect.objectContaining({ name: 'web-vitals' }));
});

test('before the embed (with or without the loader snippet): the call waits in the queue the embed replays', async () => {
  await import('../src/embed-vitals');
  expect(w.JourneyEmbed!.q).toEqual([['use', [expect.objectContaining({ name: 'web-vitals' })]]]);

  vi.resetModules();
  const snippetQueue: [string, unknown[]][] = [['track', ['early']]];
  w.JourneyEmbed = { q: snippetQueue };
  await import('../src/embed-vitals');
  expect(snippetQueue.map(([m]) => m)).toEqual(['track', 'use']);
});
