/**
 * Field and validation tracking. A field is named by `data-journey-field`, `name` or `id`; its
 * value is never read. Password, hidden and payment-card (`autocomplete="cc-*"`) fields, and
 * anything inside `[data-journey-ignore]`, are not tracked at all.
 */
import type { Journey } from '../journey';
import { all, listen, now, type Off } from '../util';

const SKIP = '[autocomplete*="cc-" i],[data-journey-ignore],[data-journey-ignore] *';


/**
 * The key a form control is tracked under, or undefined when it must not be tracked.
 * Reads attributes only: never `.value`.
 */
export const fieldKey = (el: unknown): string | undefined =>
  // `.type` is normalised to lower case (type="PASSWORD" is a password field too)
  el instanceof Element && /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName) && !/^(password|hidden)$/.test((el as HTMLInputElement).type) && !el.matches(SKIP)
    ? el.getAttribute('data-journey-field') || el.getAttribute('name') || el.id || undefined
    : undefined;

/** `field_focus`, `field_blur` (with the time engaged) and `field_change`. */
export function fields(j: Journey): Off {
  const since = new WeakMap<Element, number>();
  const on = (type: string, fn: (el: Element, fieldKey: string) => void) =>
    listen(document, type, (e) => {
      const k = fieldKey(e.target);
      if (k) fn(e.target, k);
    }, true);
  return all([
    on('focusin', (el, fieldKey) => {
      since.set(el, now());
      j.t.track('field_focus', { fieldKey, stepKey: j.step });
    }),
    on('focusout', (el, fieldKey) => {
      const t = since.get(el);
      since.delete(el);
      j.t.track('field_blur', { fieldKey, stepKey: j.step, durationMs: t ? now() - t : 0 });
    }),
    on('change', (_, fieldKey) => j.t.track('field_change', { fieldKey, stepKey: j.step })),
  ]);
}

/** `validation_error` from the browser's `invalid` event, with the ValidityState key as `errorType`. */
export function validation(j: Journey): Off {
  return listen(document, 'invalid', (e) => {
    const k = fieldKey(e.target);
    const v = (e.target as HTMLInputElement).validity as unknown as Record<string, unknown>;
    // the ValidityState attributes, in the order of the spec (valueMissing, typeMismatch, …)
    const errorType = Object.getOwnPropertyNames(Object.getPrototypeOf(v)).find((n) => n != 'valid' && v[n] === true);
    if (k) j.t.track('validation_error', { fieldKey: k, errorType: errorType || 'invalid', stepKey: j.step });
  }, true);
}
