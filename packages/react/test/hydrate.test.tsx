// @vitest-environment happy-dom
/** Server HTML hydrated on the client: no mismatch, and the mount-time events once each. */
import { StrictMode } from 'react';
import { act } from '@testing-library/react';
import { hydrateRoot } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { afterEach, expect, it, vi } from 'vitest';
import { init } from '@waymark/browser';
import { WaymarkProvider, useContent, useJourneyStep, useTour, useTracker } from '../src/index';
import { fakeTracker } from './fake-tracker';

let created: ReturnType<typeof fakeTracker> | null = null;
vi.mock('@waymark/browser', () => ({
  init: vi.fn(() => (created ??= fakeTracker())),
  resolveTarget: vi.fn(async () => null),
}));

afterEach(() => {
  document.body.innerHTML = '';
  localStorage.clear();
});

function Page() {
  useJourneyStep('landing');
  useContent('banner');
  const tour = useTour({ tourId: 'intro', steps: [{ id: 'one' }], autoStart: true });
  const tracker = useTracker();
  return (
    <p>
      tour:{tour.status} tracker:{tracker ? 'yes' : 'no'}
    </p>
  );
}

const app = (
  <StrictMode>
    <WaymarkProvider options={{ org: 'demo', journey: 'demo-journey', endpoint: 'https://collector.test/api/ingest' }}>
      <Page />
    </WaymarkProvider>
  </StrictMode>
);

it('hydrates the server HTML without a mismatch and records each mount-time event once', async () => {
  const html = renderToString(app);
  expect(init).not.toHaveBeenCalled();
  const container = document.createElement('div');
  container.innerHTML = html;
  document.body.append(container);
  const errors = vi.spyOn(console, 'error');
  const recoverable: unknown[] = [];
  await act(async () => {
    hydrateRoot(container, app, { onRecoverableError: (e) => recoverable.push(e) });
  });
  expect(recoverable).toEqual([]);
  expect(errors).not.toHaveBeenCalled();
  expect(container.textContent).toBe('tour:active tracker:yes');
  expect(created!.types()).toEqual(['step_view', 'ContentViewed', 'TourStarted', 'StepViewed']);
  errors.mockRestore();
});
