import { useEffect, useMemo, useRef } from 'react';
import { expectKey, useWaymarkContext } from './context';
import type { ContentControls } from './types';

/**
 * Records `ContentViewed` once for a piece of content (announcement, banner, checklist) when it
 * is shown, and gives the handlers for `ContentDismissed` (once) and `ContentCtaClicked`.
 *
 * "Shown" means mounted, or, when you attach the returned `ref` to the content's element, the
 * first time it enters the viewport (IntersectionObserver; mounted counts where that is missing).
 *
 * @example
 * ```tsx
 * function Banner() {
 *   const content = useContent('spring-sale');
 *   return (
 *     <aside ref={content.ref}>
 *       <a href="/sale" onClick={() => content.ctaClicked('shop-now')}>Shop now</a>
 *       <button onClick={content.dismiss}>×</button>
 *     </aside>
 *   );
 * }
 * ```
 */
export function useContent(contentId: string): ContentControls {
  expectKey('useContent', 'contentId', contentId);
  const { run } = useWaymarkContext('useContent');
  // [attached element, contentId viewed, contentId dismissed]: refs survive StrictMode's re-run
  const state = useRef<[Element | null, string?, string?]>([null]);

  // Callback refs are set during commit, before effects run, so the effect knows whether one is attached.
  useEffect(() => {
    const s = state.current;
    const markViewed = () => {
      if (s[1] === contentId) return;
      s[1] = contentId;
      run((t) => t.content(contentId).viewed());
    };
    if (!s[0] || !window.IntersectionObserver) return markViewed();
    // stays connected until unmount: cheaper than a second code path, and markViewed runs once
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && markViewed());
    observer.observe(s[0]);
    return () => observer.disconnect();
  }, [contentId, run]);

  return useMemo<ContentControls>(
    () => ({
      ref: (el) => {
        state.current[0] = el;
      },
      dismiss: () => {
        if (state.current[2] === contentId) return;
        state.current[2] = contentId;
        run((t) => t.content(contentId).dismissed());
      },
      ctaClicked: (cta) => run((t) => t.content(contentId).ctaClicked(cta)),
    }),
    [contentId, run],
  );
}
