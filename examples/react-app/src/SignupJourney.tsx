import { useState } from 'react';
import { useJourneyForm, useJourneyStep, useTracker } from '@waymark/react';

/** A two-step journey: contact details, then confirmation. */
export function SignupJourney() {
  const [step, setStep] = useState<'contact' | 'confirm' | 'done'>('contact');
  return (
    <section id="signup">
      {step === 'contact' && <ContactStep onDone={() => setStep('confirm')} />}
      {step === 'confirm' && <ConfirmStep onDone={() => setStep('done')} />}
      {step === 'done' && <p data-testid="journey-done">Application sent. Thank you!</p>}
    </section>
  );
}

function ContactStep({ onDone }: { onDone(): void }) {
  useJourneyStep('contact');
  const form = useJourneyForm({ stepKey: 'contact', formKey: 'signup' });
  return (
    <form
      {...form.formProps}
      onSubmit={(e) => {
        form.formProps.onSubmit(e);
        e.preventDefault();
        // A real app would save here and call submitSuccess() once the server said yes.
        form.submitSuccess();
        onDone();
      }}
    >
      <h2>Contact</h2>
      <label>
        Email <input id="email" name="email" type="email" required {...form.field('email')} />
      </label>
      <label>
        Name <input id="name" name="name" {...form.field('name')} />
      </label>
      <button id="continue" type="submit">
        Continue
      </button>
    </form>
  );
}

function ConfirmStep({ onDone }: { onDone(): void }) {
  useJourneyStep('confirm');
  const tracker = useTracker();
  const form = useJourneyForm({ stepKey: 'confirm', formKey: 'signup' });
  return (
    <form
      {...form.formProps}
      onSubmit={(e) => {
        form.formProps.onSubmit(e);
        e.preventDefault();
        form.submitSuccess();
        tracker?.completeJourney();
        onDone();
      }}
    >
      <h2>Confirm</h2>
      <label>
        <input id="terms" name="terms" type="checkbox" required {...form.field('terms')} /> I accept the terms
      </label>
      <button id="send" type="submit">
        Send application
      </button>
    </form>
  );
}
