// Server rendering: no DOM at all (node environment).
import { renderToString } from 'react-dom/server';
import { StrictMode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { init } from '@waymark/browser';
import { WaymarkProvider, useContent, useField, useJourneyForm, useJourneyStep, useTour, useTracker } from '../src/index';
import * as typesEntry from '../src/types';
import { fakeTracker } from './fake-tracker';

vi.mock('@waymark/browser', async (importOriginal) => {
  const real = await importOriginal<typeof import('@waymark/browser')>();
  return { ...real, init: vi.fn(real.init), resolveTarget: vi.fn(real.resolveTarget) };
});

function App() {
  useJourneyStep('landing');
  const tracker = useTracker();
  const banner = useContent('banner');
  const tour = useTour({ tourId: 'intro', steps: [{ id: 'a', target: '#a' }], autoStart: true });
  const form = useJourneyForm({ stepKey: 'contact' });
  const name = useField('name');
  return (
    <main>
      <aside ref={banner.ref}>tracker:{tracker ? 'yes' : 'no'}</aside>
      <p>tour:{tour.status}</p>
      <form {...form.formProps}>
        <input {...form.field('email')} />
        <input {...name} />
      </form>
    </main>
  );
}

describe('server rendering', () => {
  it('renders without a window, creates no tracker and records nothing', () => {
    expect(typeof window).toBe('undefined');
    const html = renderToString(
      <StrictMode>
        <WaymarkProvider options={{ org: 'demo', journey: 'demo-journey', endpoint: 'https://collector.example/api/ingest' }}>
          <App />
        </WaymarkProvider>
      </StrictMode>,
    );
    expect(html).toContain('tracker:<!-- -->no');
    expect(html).toContain('tour:<!-- -->idle');
    expect(init).not.toHaveBeenCalled();
  });

  it('records nothing on the server even with a ready tracker', () => {
    const t = fakeTracker();
    const html = renderToString(
      <WaymarkProvider tracker={t}>
        <App />
      </WaymarkProvider>,
    );
    expect(html).toContain('tracker:<!-- -->yes');
    expect(t.events).toEqual([]);
  });

  it('@waymark/react/types holds no code', () => {
    expect(Object.keys(typesEntry)).toEqual([]);
  });
});
