/**
 * `@waymark/browser/vitals`: Core Web Vitals (LCP, INP, CLS, FCP, TTFB) as `web_vital` events,
 * through Google's `web-vitals` package. A separate entry point, so that neither the CDN embed
 * nor an app that does not use it pays for it.
 */
import type { Plugin } from '@waymark/core';
import { onCLS, onFCP, onINP, onLCP, onTTFB, type Metric } from 'web-vitals';

/** Options of {@link webVitals}. */
export interface WebVitalsOptions {
  /** which metrics to report; default all five */
  metrics?: Metric['name'][];
  /** report every change of a metric instead of its final value; default false */
  reportAllChanges?: boolean;
}

const ON = { LCP: onLCP, INP: onINP, CLS: onCLS, FCP: onFCP, TTFB: onTTFB };

/**
 * The web-vitals plugin. LCP, INP and CLS are final only when the page is hidden, after the
 * tracker's page-hide flush, so a metric reported while hidden is sent at once by beacon.
 *
 * @example
 * import { init } from '@waymark/browser';
 * import { webVitals } from '@waymark/browser/vitals';
 * init({ org: 'acme', endpoint: '/api/ingest', plugins: [webVitals()] });
 */
export function webVitals(o: WebVitalsOptions = {}): Plugin {
  return {
    name: 'web-vitals',
    setup(t) {
      let on = true; // web-vitals has no unsubscribe
      const report = (m: Metric) => {
        if (!on) return;
        t.track('web_vital', { name: m.name, value: Math.max(0, m.value), rating: m.rating });
        if (document.visibilityState == 'hidden') void t.flush({ beacon: true });
      };
      for (const n of o.metrics || (Object.keys(ON) as Metric['name'][])) {
        ON[n]?.(report, { reportAllChanges: o.reportAllChanges });
      }
      return () => {
        on = false;
      };
    },
  };
}
