// @vitest-environment happy-dom
import { useState } from 'react';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useField, useJourneyForm, useJourneyStep, useTracker } from '../src/index';
import { fakeTracker } from './fake-tracker';
import { renderStrict } from './render';

vi.mock('@waymark/browser', () => ({ init: vi.fn(), resolveTarget: vi.fn(async () => null) }));

afterEach(cleanup);


function Step({ stepKey }: { stepKey: string }) {
  useJourneyStep(stepKey);
  return <p>{stepKey}</p>;
}

describe('useJourneyStep', () => {
  it('records step_view once per shown step, never doubled by StrictMode or re-renders', () => {
    const t = fakeTracker();
    function Wizard() {
      const [step, setStep] = useState(1);
      const [, rerender] = useState(0);
      return (
        <>
          <Step stepKey={`step-${step}`} />
          <button onClick={() => setStep((s) => s + 1)}>next</button>
          <button onClick={() => rerender((n) => n + 1)}>rerender</button>
        </>
      );
    }
    renderStrict(<Wizard />, t);
    fireEvent.click(screen.getByText('rerender'));
    fireEvent.click(screen.getByText('rerender'));
    fireEvent.click(screen.getByText('next'));
    fireEvent.click(screen.getByText('next'));
    expect(t.events).toEqual([
      { type: 'step_view', stepKey: 'step-1' },
      { type: 'step_view', stepKey: 'step-2' },
      { type: 'step_view', stepKey: 'step-3' },
    ]);
  });

  it('waits while enabled is false', () => {
    const t = fakeTracker();
    function Lazy() {
      const [shown, setShown] = useState(false);
      useJourneyStep('review', { enabled: shown });
      return <button onClick={() => setShown(true)}>show</button>;
    }
    renderStrict(<Lazy />, t);
    expect(t.events).toEqual([]);
    fireEvent.click(screen.getByText('show'));
    expect(t.events).toEqual([{ type: 'step_view', stepKey: 'review' }]);
  });

  it('throws a clear error for a bad stepKey and outside a provider', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() => renderStrict(<Step stepKey="" />, fakeTracker())).toThrow(
      'useJourneyStep: expected stepKey to be a string of 1 to 128 characters, got ""',
    );
    expect(() => render(<Step stepKey="a" />)).toThrow('useJourneyStep: expected a <WaymarkProvider> above, got null');
    spy.mockRestore();
  });
});

function ContactForm({ onSaved }: { onSaved?: () => void }) {
  const form = useJourneyForm({ stepKey: 'contact', formKey: 'signup' });
  const phone = useField('phone', { stepKey: 'contact' });
  return (
    <form
      {...form.formProps}
      onSubmit={(e) => {
        form.formProps.onSubmit(e);
        e.preventDefault();
        form.submitSuccess();
        onSaved?.();
      }}
    >
      <input aria-label="email" name="email" type="email" required {...form.field('email')} />
      <input aria-label="phone" name="phone" {...phone} />
      <button type="submit">send</button>
    </form>
  );
}

describe('useJourneyForm / useField', () => {
  it('records the exact sequence of a user filling in and submitting the form', () => {
    const t = fakeTracker();
    let clock = 1_000;
    const now = vi.spyOn(Date, 'now').mockImplementation(() => clock);
    renderStrict(<ContactForm />, t);
    const email = screen.getByLabelText('email');
    fireEvent.focus(email);
    clock += 1_500;
    fireEvent.change(email, { target: { value: 'a' } });
    fireEvent.change(email, { target: { value: 'ab' } }); // one field_change per focus, not per keystroke
    fireEvent.blur(email);
    fireEvent.focus(screen.getByLabelText('phone'));
    clock += 200;
    fireEvent.blur(screen.getByLabelText('phone'));
    fireEvent.submit(screen.getByText('send').closest('form')!);
    now.mockRestore();
    expect(t.events).toEqual([
      { type: 'field_focus', fieldKey: 'email', stepKey: 'contact' },
      { type: 'field_change', fieldKey: 'email', stepKey: 'contact' },
      { type: 'field_blur', fieldKey: 'email', stepKey: 'contact', durationMs: 1_500 },
      { type: 'field_focus', fieldKey: 'phone', stepKey: 'contact' },
      { type: 'field_blur', fieldKey: 'phone', stepKey: 'contact', durationMs: 200 },
      { type: 'submit_attempt', stepKey: 'contact', formKey: 'signup' },
      { type: 'submit_success', stepKey: 'contact' },
    ]);
  });

  it('records validation_error with the ValidityState key from the invalid event', () => {
    const t = fakeTracker();
    renderStrict(<ContactForm />, t);
    const email = screen.getByLabelText('email');
    Object.defineProperty(email, 'validity', { value: { valid: false, valueMissing: false, typeMismatch: true } });
    fireEvent.invalid(email);
    expect(t.events).toEqual([{ type: 'validation_error', fieldKey: 'email', errorType: 'typeMismatch' }]);
  });

  it('never reads a field value, and no typed text reaches an event', () => {
    const t = fakeTracker();
    const secret = 'S3CRET-marker-4242';
    renderStrict(<ContactForm />, t);
    const email = screen.getByLabelText('email');
    fireEvent.focus(email);
    fireEvent.change(email, { target: { value: secret } });
    fireEvent.blur(email);
    expect(JSON.stringify(t.events)).not.toContain(secret);

    // The handlers themselves, given a target that reports every property read:
    const reads: string[] = [];
    const target = new Proxy({ validity: { valueMissing: true } }, {
      get(o, k) {
        reads.push(String(k));
        return Reflect.get(o, k);
      },
    });
    let handlers!: ReturnType<typeof useField>;
    function Probe() {
      handlers = useField('probe');
      return null;
    }
    renderStrict(<Probe />, t);
    act(() => {
      for (const h of [handlers.onFocus, handlers.onChange, handlers.onInvalid, handlers.onBlur]) h({ currentTarget: target });
    });
    expect(reads).toEqual(['validity']);
  });
});

describe('useTracker', () => {
  it('gives the provided tracker to event handlers', () => {
    const t = fakeTracker();
    function Plan() {
      const tracker = useTracker();
      return <button onClick={() => tracker?.track('plan_chosen', { plan: 'pro' })}>pro</button>;
    }
    renderStrict(<Plan />, t);
    fireEvent.click(screen.getByText('pro'));
    expect(t.events).toEqual([{ type: 'plan_chosen', plan: 'pro' }]);
  });
});
