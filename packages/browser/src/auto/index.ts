/**
 * Automatic tracking as one core plugin. Every part can be switched off through
 * {@link AutoTrackOptions}; `autoTrack: false` switches off all of them.
 */
import type { Plugin } from '@waymark/core';
import type { Journey } from '../journey';
import { EMBED } from '../build';
import { all } from '../util';
import { dropoff, type DropoffOptions } from './dropoff';
import { fields, validation } from './fields';
import { forms } from './forms';
import { pages } from './pages';
import { steps } from './steps';

/** Which parts of the automatic tracking run; each defaults to true. */
export interface AutoTrackOptions {
  /** `page_view` on load, SPA navigation and back/forward-cache restore */
  pages?: boolean;
  /** `step_view` for `[data-journey-step]` elements */
  steps?: boolean;
  /** `field_focus`, `field_blur`, `field_change` */
  fields?: boolean;
  /** `validation_error` from the browser's `invalid` event */
  validation?: boolean;
  /** `submit_attempt` on form submit */
  forms?: boolean;
  /** `dropoff_signal`; an object tunes the thresholds */
  dropoff?: boolean | DropoffOptions;
}

/** @internal the plugin that runs the enabled parts against the journey state */
export const autoTrack = (j: Journey, o: AutoTrackOptions = {}): Plugin => ({
  name: 'auto',
  setup: () =>
    all([
      // order matters: the page before its step, and a step seen on focus before the focus itself
      // the embed runs every part with its defaults: the script tag has no switch for them
      (EMBED || o.pages !== false) && pages(j),
      (EMBED || o.steps !== false) && steps(j),
      (EMBED || o.fields !== false) && fields(j),
      (EMBED || o.validation !== false) && validation(j),
      (EMBED || o.forms !== false) && forms(j),
      (EMBED || o.dropoff !== false) && dropoff(j, !EMBED && typeof o.dropoff === 'object' ? o.dropoff : undefined),
    ]),
});
