import { useMemo, useRef } from 'react';
import { expectKey, useWaymarkContext } from './context';
import { createFieldHandlers } from './field-handlers';
import type { FieldProps, JourneyFieldOptions, JourneyFormOptions } from './types';

/**
 * Props for one form field that record `field_focus`, `field_blur` (with `durationMs`),
 * `field_change` and `validation_error` (the ValidityState key). Values are never read.
 * The handlers are stable across renders.
 *
 * @example
 * ```tsx
 * const email = useField('email', { stepKey: 'contact' });
 * <input name="email" type="email" required {...email} />
 * ```
 */
export function useField(fieldKey: string, options: JourneyFieldOptions = {}): FieldProps {
  expectKey('useField', 'fieldKey', fieldKey);
  const { run } = useWaymarkContext('useField');
  const step = useRef(options.stepKey);
  step.current = options.stepKey;
  return useMemo(() => createFieldHandlers(run, fieldKey, () => step.current), [run, fieldKey]);
}

/** What {@link useJourneyForm} returns. */
export interface JourneyForm {
  /** spread on the `<form>`: `onSubmit` records `submit_attempt` (it does not prevent the submit) */
  formProps: { onSubmit(event: unknown): void };
  /** props for the field `fieldKey` (see {@link useField}); the same object for the same key */
  field(fieldKey: string): FieldProps;
  /** records `submit_success` for the form's step once the submission succeeded */
  submitSuccess(): void;
}

/**
 * Journey tracking for a whole form: field props by key, `submit_attempt` on submit and
 * `submit_success` when you say so. Never reads a value. Errors your own or the server's
 * validation finds go through `useTracker()?.validationError(fieldKey, errorType)`.
 *
 * @example
 * ```tsx
 * const form = useJourneyForm({ stepKey: 'contact', formKey: 'signup' });
 * <form {...form.formProps} onSubmit={(e) => { form.formProps.onSubmit(e); e.preventDefault(); save().then(form.submitSuccess); }}>
 *   <input name="email" required {...form.field('email')} />
 * </form>
 * ```
 */
export function useJourneyForm(options: JourneyFormOptions = {}): JourneyForm {
  const { run } = useWaymarkContext('useJourneyForm');
  const opts = useRef(options);
  opts.current = options;
  return useMemo<JourneyForm>(() => {
    const fields: Record<string, FieldProps> = Object.create(null);
    return {
      formProps: {
        onSubmit: () => {
          const { stepKey, formKey } = opts.current;
          run((t) => t.track('submit_attempt', { stepKey, formKey }));
        },
      },
      field: (fieldKey) => {
        expectKey('useJourneyForm field()', 'fieldKey', fieldKey);
        return (fields[fieldKey] ??= createFieldHandlers(run, fieldKey, () => opts.current.stepKey));
      },
      submitSuccess: () => {
        const { stepKey } = opts.current;
        run((t) => t.submitSuccess(stepKey));
      },
    };
  }, [run]);
}
