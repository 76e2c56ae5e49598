import type { FieldProps, WaymarkTracker } from './types';

/**
 * The ValidityState key that made a field invalid: the first flag set, in the order the
 * specification (and so every browser's prototype) lists them, valueMissing first. Reads only
 * `validity`, never `value`: privacy is the product, so no handler here touches what was typed.
 */
export function errorTypeOf(target: unknown): string {
  const validity = (target as { validity?: Record<string, boolean> } | null)?.validity;
  for (const key in validity) if (key !== 'valid' && validity[key] === true) return key;
  return 'invalid';
}

type Run = (fn: (t: WaymarkTracker) => void) => void;

/**
 * Handlers for one field. `field_change` is recorded once per focus (like the DOM's `change`
 * event, not on every keystroke React reports), or on every change of a field that never had focus.
 */
export function createFieldHandlers(run: Run, fieldKey: string, stepKey: () => string | undefined): FieldProps {
  let focusedAt: number | null = null;
  let changed = false;
  const ctx = () => ({ fieldKey, stepKey: stepKey() });
  return {
    onFocus() {
      focusedAt = Date.now();
      changed = false;
      const props = ctx();
      run((t) => t.track('field_focus', props));
    },
    onBlur() {
      if (focusedAt === null) return;
      const props = { ...ctx(), durationMs: Math.max(0, Date.now() - focusedAt) };
      focusedAt = null;
      run((t) => t.track('field_blur', props));
    },
    onChange() {
      if (focusedAt !== null && changed) return;
      changed = true;
      const props = ctx();
      run((t) => t.track('field_change', props));
    },
    onInvalid(event) {
      const errorType = errorTypeOf(event.currentTarget);
      run((t) => t.validationError(fieldKey, errorType));
    },
  };
}
