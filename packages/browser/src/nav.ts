/**
 * The referrer of the current view: `document.referrer` after a full load, the previous URL
 * after an SPA navigation (set by the page auto-tracking, read by the platform's `location()`).
 */
export const nav: { ref?: string } = {};
