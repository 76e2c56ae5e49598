// @vitest-environment happy-dom
import { StrictMode, useState } from 'react';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { init } from '@waymark/browser';
import { WaymarkProvider, useContent, useJourneyStep, useTour, useTracker } from '../src/index';
import { fakeTracker } from './fake-tracker';

// `init` with the browser SDK's contract: the first call creates the tracker, later calls return it.
let created: ReturnType<typeof fakeTracker> | null = null;
vi.mock('@waymark/browser', () => ({
  init: vi.fn(() => (created ??= fakeTracker())),
  resolveTarget: vi.fn(async () => null),
}));

beforeEach(() => {
  created = null;
  vi.mocked(init).mockClear();
  localStorage.clear();
});
afterEach(cleanup);

const OPTIONS = { org: 'demo', journey: 'demo-journey', endpoint: 'http://127.0.0.1:9/api/ingest' };

function Page() {
  useJourneyStep('landing');
  useContent('welcome-banner');
  const tour = useTour({ tourId: 'intro', steps: [{ id: 'one' }, { id: 'two' }], autoStart: true });
  const tracker = useTracker();
  const [, setN] = useState(0);
  return (
    <>
      <span data-testid="has-tracker">{tracker ? 'yes' : 'no'}</span>
      <button onClick={tour.next}>next</button>
      <button onClick={() => setN((n) => n + 1)}>rerender</button>
    </>
  );
}

describe('WaymarkProvider', () => {
  it('creates one tracker in an effect under StrictMode and delivers mount-time events once, in order', () => {
    render(
      <StrictMode>
        <WaymarkProvider options={OPTIONS}>
          <Page />
        </WaymarkProvider>
      </StrictMode>,
    );
    expect(init).toHaveBeenCalledWith(OPTIONS);
    const trackers = new Set(vi.mocked(init).mock.results.map((r) => r.value));
    expect(trackers.size).toBe(1);
    expect(screen.getByTestId('has-tracker').textContent).toBe('yes');
    fireEvent.click(screen.getByText('rerender'));
    fireEvent.click(screen.getByText('next'));
    expect(created!.events).toEqual([
      // effects run in hook order: step, content, then the tour's restore-and-start
      { type: 'step_view', stepKey: 'landing' },
      { type: 'ContentViewed', contentId: 'welcome-banner' },
      { type: 'TourStarted', tourId: 'intro' },
      { type: 'StepViewed', tourId: 'intro', stepId: 'one', stepIndex: 0 },
      { type: 'StepCompleted', tourId: 'intro', stepId: 'one', stepIndex: 0 },
      { type: 'StepViewed', tourId: 'intro', stepId: 'two', stepIndex: 1 },
    ]);
  });

  it('uses a given tracker and never calls init', () => {
    const t = fakeTracker();
    render(
      <StrictMode>
        <WaymarkProvider tracker={t}>
          <Page />
        </WaymarkProvider>
      </StrictMode>,
    );
    expect(init).not.toHaveBeenCalled();
    expect(t.types()).toEqual(['step_view', 'ContentViewed', 'TourStarted', 'StepViewed']);
  });

  it('keeps the tracker (and its buffer) when the provider unmounts and mounts again', () => {
    const first = render(<WaymarkProvider options={OPTIONS}><Page /></WaymarkProvider>);
    const tracker = created;
    const shutdown = vi.spyOn(tracker!, 'shutdown');
    first.unmount();
    render(<WaymarkProvider options={OPTIONS}><Page /></WaymarkProvider>);
    expect(created).toBe(tracker);
    expect(shutdown).not.toHaveBeenCalled();
  });

  it('never lets a tracker error reach the page', () => {
    const t = fakeTracker();
    t.step = () => {
      throw new Error('boom');
    };
    function Step() {
      useJourneyStep('x');
      return <p>ok</p>;
    }
    act(() => {
      render(<WaymarkProvider tracker={t}><Step /></WaymarkProvider>);
    });
    expect(screen.getByText('ok')).toBeTruthy();
  });

  it('throws a clear error without options or tracker', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    // @ts-expect-error: neither prop given
    expect(() => render(<WaymarkProvider />)).toThrow('WaymarkProvider: expected an `options` object or a `tracker`, got undefined');
    spy.mockRestore();
  });
});
