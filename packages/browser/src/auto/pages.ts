/**
 * `page_view` on load, on SPA navigation (pushState, replaceState, popstate, hashchange) and when
 * the page is restored from the back/forward cache. After an SPA navigation the previous URL is
 * the referrer.
 */
import type { Journey } from '../journey';
import { nav } from '../nav';
import { all, listen, type Off } from '../util';

type HistoryFn = History['pushState'];

export function pages(j: Journey): Off {
  const loc = location;
  let href = loc.href;
  const view = () => j.t.track('page_view', { title: document.title });
  const check = () => {
    if (loc.href === href) return; // replaceState for state only, or a same-URL push
    nav.ref = href;
    href = loc.href;
    j.advance('url');
    view();
  };
  const patch = (m: 'pushState' | 'replaceState'): Off => {
    const orig = history[m];
    const ours: HistoryFn = function (this: History, ...a) {
      const r = orig.apply(this, a);
      try {
        check();
      } catch {
        // never break the app's navigation
      }
      return r;
    };
    history[m] = ours;
    return () => {
      if (history[m] === ours) history[m] = orig; // someone patched after us: leave theirs in place
    };
  };
  view();
  return all([
    patch('pushState'),
    patch('replaceState'),
    listen(window, 'popstate', check),
    listen(window, 'hashchange', check),
    listen(window, 'pageshow', (e: PageTransitionEvent) => e.persisted && view()),
  ]);
}
