// @vitest-environment happy-dom
/**
 * The hooks with the real browser tracker (`init` from @waymark/browser on the core tracker),
 * its transport replaced by one that records the batches: what a user's clicks put on the wire,
 * checked against the collector's schema.
 */
import { StrictMode } from 'react';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterAll, describe, expect, it } from 'vitest';
import { getTracker } from '@waymark/browser';
import { validateBatch, type Batch } from '@waymark/core/schema';
import { WaymarkProvider, useContent, useJourneyForm, useJourneyStep, useTour } from '../src/index';

const batches: Batch[] = [];
const transport = {
  send: async (body: string) => {
    batches.push(JSON.parse(body) as Batch);
    return { status: 'delivered' as const };
  },
};

function Page() {
  useJourneyStep('contact');
  const banner = useContent('banner');
  const tour = useTour({ tourId: 'intro', steps: [{ id: 'one' }, { id: 'two' }], persist: 'session' });
  const form = useJourneyForm({ stepKey: 'contact', formKey: 'signup' });
  return (
    <>
      <button onClick={() => banner.ctaClicked('go')}>cta</button>
      <button onClick={tour.start}>start</button>
      <button onClick={tour.next}>next</button>
      <form {...form.formProps} onSubmit={(e) => (form.formProps.onSubmit(e), e.preventDefault(), form.submitSuccess())}>
        <input aria-label="email" name="email" {...form.field('email')} />
        <button type="submit">send</button>
      </form>
    </>
  );
}

afterAll(async () => {
  cleanup();
  await getTracker()?.shutdown();
});

describe('with the real browser tracker', () => {
  it('sends each event once, in order, in batches the collector accepts', async () => {
    render(
      <StrictMode>
        <WaymarkProvider
          options={{
            org: 'demo',
            journey: 'demo-journey',
            endpoint: 'https://collector.test/api/ingest',
            autoTrack: false,
            platform: { transport, beaconTransport: transport },
          }}
        >
          <Page />
        </WaymarkProvider>
      </StrictMode>,
    );
    fireEvent.click(screen.getByText('start'));
    fireEvent.click(screen.getByText('next'));
    fireEvent.click(screen.getByText('next'));
    fireEvent.click(screen.getByText('cta'));
    fireEvent.focus(screen.getByLabelText('email'));
    fireEvent.change(screen.getByLabelText('email'), { target: { value: 'x' } });
    fireEvent.blur(screen.getByLabelText('email'));
    fireEvent.submit(screen.getByText('send').closest('form')!);
    await getTracker()!.flush();

    for (const b of batches) expect(validateBatch(b)).toMatchObject({ ok: true });
    const events = batches.flatMap((b) => b.events);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    expect(events.map((e) => e._tag).filter((t) => t !== 'session_start' && t !== 'page_view')).toEqual([
      'step_view',
      'ContentViewed',
      'TourStarted',
      'StepViewed',
      'StepCompleted',
      'StepViewed',
      'StepCompleted',
      'TourCompleted',
      'ContentCtaClicked',
      'field_focus',
      'field_change',
      'field_blur',
      'submit_attempt',
      'submit_success',
    ]);
    expect(events.filter((e) => e._tag === 'session_start')).toHaveLength(1);
  });
});
