/**
 * `step_view` for `[data-journey-step]` elements. The current step is the step holding the field
 * the user last focused, or else the first visible one (the deepest visible one inside it); it is
 * re-evaluated when the DOM changes and kept while its element stays visible, so that a page
 * showing several steps at once does not flip between them.
 */
import type { Journey } from '../journey';
import { all, listen, type Off } from '../util';

const ATTR = 'data-journey-step';
const SEL = `[${ATTR}]`;

// [hidden] first: checkVisibility is missing in older browsers and in some DOM implementations ignores it
const visible = (el: Element) => !el.closest('[hidden]') && (!el.checkVisibility || el.checkVisibility());

export function steps(j: Journey): Off {
  let cur: Element | undefined;
  const set = (el: Element | null | undefined) => el && j.setStep((cur = el).getAttribute(ATTR)!);
  const scan = () => {
    if (cur && cur.isConnected && visible(cur)) return;
    cur = undefined;
    document.querySelectorAll(SEL).forEach((el) => {
      if ((!cur || cur.contains(el)) && visible(el)) cur = el;
    });
    set(cur);
  };
  j.scan = scan;
  const mo = new MutationObserver(scan);
  mo.observe(document.documentElement, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['hidden', 'style', 'class', 'open', ATTR],
  });
  scan();
  return all([
    () => mo.disconnect(),
    listen(document, 'focusin', (e) => set((e.target as Element).closest?.(SEL)), true),
  ]);
}
