// @vitest-environment happy-dom
import { afterEach, describe, expect, test } from 'vitest';
import { nav } from '../src/nav';
import { harness, type Harness } from './helpers';

let h: Harness;
afterEach(async () => {
  await h?.stop();
  history.replaceState(null, '', '/');
});

describe('pages', () => {
  test('page_view at start with url and title', () => {
    document.title = 'Apply for a grant';
    h = harness();
    expect(h.of('page_view')).toMatchObject([{ title: 'Apply for a grant', url: location.href }]);
    expect(h.tags().slice(0, 2)).toEqual(['session_start', 'page_view']);
  });

  test('SPA navigation: pushState, replaceState, popstate and hashchange, with the previous URL as referrer', () => {
    h = harness();
    const start = location.href;
    history.pushState({}, '', '/apply/details');
    history.replaceState({ x: 1 }, '', '/apply/details'); // state only: not a navigation
    history.replaceState({}, '', '/apply/review');
    location.hash = '#faq';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    history.pushState({}, '', '/apply/details');
    window.dispatchEvent(new PopStateEvent('popstate')); // URL unchanged since the push: ignored
    const views = h.of('page_view');
    expect(views.map((e) => new URL(e.url as string).pathname + new URL(e.url as string).hash)).toEqual([
      '/',
      '/apply/details',
      '/apply/review',
      '/apply/review#faq',
      '/apply/details',
    ]);
    expect(views[1]).toMatchObject({ referrer: start });
    expect(views[2]).toMatchObject({ referrer: new URL('/apply/details', start).href });
  });

  test('a page restored from the back/forward cache is a page view, not a new session', () => {
    h = harness();
    window.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: true }));
    expect(h.tags().filter((t) => t === 'page_view' || t === 'session_start')).toEqual(['session_start', 'page_view', 'page_view']);
  });

  test('shutdown restores history.pushState, unless someone patched it after us', async () => {
    const orig = history.pushState;
    h = harness();
    expect(history.pushState).not.toBe(orig);
    await h.stop();
    expect(history.pushState).toBe(orig);
    h = harness();
    const theirs = history.pushState;
    const later = function (this: History, ...a: Parameters<History['pushState']>) {
      return theirs.apply(this, a);
    };
    history.pushState = later;
    await h.stop();
    expect(history.pushState).toBe(later);
    history.pushState = orig;
    nav.ref = undefined;
  });

  test('switched off through autoTrack.pages', () => {
    const orig = history.pushState;
    h = harness({ auto: { pages: false } });
    history.pushState({}, '', '/x');
    expect(h.of('page_view')).toEqual([]);
    expect(history.pushState).toBe(orig);
  });
});
