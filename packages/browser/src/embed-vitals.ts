/**
 * The CDN embed's web-vitals add-on (`/embed/v1/vitals.js`): a second script tag that adds the
 * {@link webVitals} plugin to `window.JourneyEmbed`, so that the embed itself carries none of it.
 * Either may load first: before the embed, the call waits in the loader queue that the embed replays.
 */
import type { Plugin } from '@waymark/core';
import { webVitals } from './vitals';

type Embed = { version?: string; use?(p: Plugin): void; q?: [string, unknown[]][] };

const w = window as unknown as { JourneyEmbed?: Embed };
const e = (w.JourneyEmbed ||= {});
const plugin = webVitals();
if (e.version) e.use!(plugin);
else (e.q ||= []).push(['use', [plugin]]);
