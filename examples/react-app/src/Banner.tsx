import { useState } from 'react';
import { useContent } from '@waymark/react';

/** Content: ContentViewed once it scrolls into view, ContentCtaClicked, ContentDismissed. */
export function Banner() {
  const [open, setOpen] = useState(true);
  const content = useContent('welcome-banner');
  if (!open) return null;
  return (
    <aside className="banner" ref={content.ref}>
      New: apply in three minutes.{' '}
      <a href="#signup" onClick={() => content.ctaClicked('apply-now')}>
        Apply now
      </a>
      <button
        aria-label="Dismiss banner"
        onClick={() => {
          content.dismiss();
          setOpen(false);
        }}
      >
        ×
      </button>
    </aside>
  );
}
