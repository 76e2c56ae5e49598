/**
 * The CDN embed (`/embed/v1.js`): an IIFE that configures itself from its own `<script>` tag's
 * data-* attributes, records `session_start` at once, exposes `window.JourneyEmbed` and replays
 * the calls the loader snippet queued before it loaded.
 */
import type { Environment } from '@waymark/core';
import type { SubmitSuccessOn } from './journey';
import { start } from './sdk';
import { VERSION } from './version';

type Api = Record<string, unknown> & { q?: [string, Iterable<unknown>][] };

const w = window as unknown as { JourneyEmbed?: Api };
// a page that includes the script twice keeps the first tracker
if (!w.JourneyEmbed?.version)
try {
  // a classic script has currentScript while it runs, also when async or inserted by another script
  const s = document.currentScript as HTMLScriptElement;
  const d = s.dataset;
  const [t] = start({
    org: d.org!,
    journey: d.journey,
    // the collector serves the script and the ingest API from one origin
    endpoint: d.endpoint || new URL('/api/ingest', s.src).href,
    env: (d.env || undefined) as Environment,
    debug: d.debug == 'true',
    respectDoNotTrack: d.respectDnt == 'true',
    // absent: the default; anything but a positive number: the configuration error says so
    sessionTimeout: (d.sessionTimeout && +d.sessionTimeout) as number,
  }, d.submitSuccessOn as SubmitSuccessOn);
  const q = w.JourneyEmbed?.q;
  // the tracker itself: track, flush, step, submitSuccess, completeJourney, optOut, optIn…
  const api = (w.JourneyEmbed = t as unknown as Api);
  api.version = VERSION;
  q?.forEach(([m, a]) => (api[m] as (...x: unknown[]) => void)(...(a as unknown[])));
} catch (e) {
  // misconfiguration: tell the developer without throwing into the host page
  console.error(e);
}
