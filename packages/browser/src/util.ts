/** Small DOM helpers shared by the auto-tracking parts; kept terse because they ship in the embed. */
import { EMBED } from './build';

/** Removes what a setup added. */
export type Off = () => void;

/**
 * Adds a listener that can never throw into the host page, and returns its remover.
 * `capture` matters: `invalid` and `focus` do not bubble, and the drop-off signals must run
 * before the platform's page-hide flush (window capture listeners run first).
 */
export const listen = (target: EventTarget, type: string, fn: (e: any) => void, capture?: boolean): Off => {
  const h = (e: Event) => {
    try {
      fn(e);
    } catch {
      // an SDK error must never reach the host page
    }
  };
  target.addEventListener(type, h, capture);
  return () => target.removeEventListener(type, h, capture);
};

/** Runs every remover. */
export const all = (offs: (Off | void | false | undefined)[]): Off => () => offs.forEach((o) => o && o());

// the embed takes Date.now itself, as the core's clock does; the npm build looks it up on every call,
// for the unit tests' fake timers, installed after import
export const now = EMBED ? Date.now : () => Date.now();
