import { useEffect } from 'react';
import { useTour } from '@waymark/react';

/** Three steps; the last two point at elements of the form below. */
const STEPS = [
  { id: 'welcome', title: 'Welcome', text: 'This short tour shows you how to apply.' },
  { id: 'email', title: 'Your email', text: 'We send the decision here.', target: '#email' },
  { id: 'submit', title: 'Send it', text: 'Press Continue when you are ready.', target: '#continue' },
];

export function ProductTour() {
  const tour = useTour({ tourId: 'demo-tour', steps: STEPS });
  const target = tour.targetElement;

  // Highlights the current step's target while the tour points at it.
  useEffect(() => {
    target?.classList.add('tour-target');
    target?.scrollIntoView?.({ block: 'center' });
    return () => target?.classList.remove('tour-target');
  }, [target]);

  if (tour.status !== 'active' || !tour.step) {
    return (
      <p className="tour-status">
        {tour.status === 'completed' && <span data-testid="tour-done">Tour completed. </span>}
        {tour.status === 'dismissed' && <span>Tour closed. </span>}
        <button onClick={tour.status === 'idle' ? tour.start : tour.restart}>
          {tour.status === 'idle' ? 'Take the tour' : 'Restart the tour'}
        </button>
      </p>
    );
  }
  const last = tour.stepIndex === STEPS.length - 1;
  return (
    <section className="tour" role="dialog" aria-label="Product tour" data-step={tour.step.id}>
      <h2>
        {tour.step.title} <small>({tour.stepIndex + 1} of {STEPS.length})</small>
      </h2>
      <p>{tour.step.text}</p>
      <button onClick={tour.back} disabled={tour.stepIndex === 0}>
        Back
      </button>
      <button onClick={tour.next}>{last ? 'Finish' : 'Next'}</button>
      <button onClick={tour.dismiss} aria-label="Close the tour">
        Close
      </button>
    </section>
  );
}
