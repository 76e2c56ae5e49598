// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resolveTarget } from '@waymark/browser';
import { useTour } from '../src/index';
import type { TourPersistence } from '../src/types';
import { fakeTracker } from './fake-tracker';
import { renderStrict } from './render';

// The browser SDK's resolver, reduced to its contract: the element, or null after recording target_not_found.
vi.mock('@waymark/browser', () => ({
  init: vi.fn(),
  resolveTarget: vi.fn(async (selector: string, o: { tracker: { track: Function }; tourId?: string; stepId?: string }) => {
    const el = document.querySelector(selector);
    if (!el) o.tracker.track('target_not_found', { selector, tourId: o.tourId, stepId: o.stepId });
    return el;
  }),
}));

const STEPS = [{ id: 'welcome' }, { id: 'menu', target: '#menu' }, { id: 'done' }];

function Tour({ autoStart, persist, steps = STEPS }: { autoStart?: boolean; persist?: TourPersistence; steps?: typeof STEPS }) {
  const tour = useTour({ tourId: 'onboarding', steps, autoStart, persist });
  return (
    <div>
      <span data-testid="state">{`${tour.status}:${tour.stepIndex}:${tour.step?.id ?? '-'}`}</span>
      <span data-testid="target">{tour.targetElement?.id ?? 'none'}</span>
      {(['start', 'next', 'back', 'complete', 'dismiss', 'restart'] as const).map((a) => (
        <button key={a} onClick={() => tour[a]()}>{a}</button>
      ))}
      <button onClick={() => tour.goTo(2)}>goto2</button>
    </div>
  );
}

const click = (...names: string[]) => names.forEach((n) => fireEvent.click(screen.getByText(n)));
const state = () => screen.getByTestId('state').textContent;
const ev = (type: string, extra: object = {}) => ({ type, tourId: 'onboarding', ...extra });
const viewed = (stepId: string, stepIndex: number) => ev('StepViewed', { stepId, stepIndex });
const done = (stepId: string, stepIndex: number) => ev('StepCompleted', { stepId, stepIndex });

beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
  document.body.innerHTML = '';
  vi.mocked(resolveTarget).mockClear();
});
afterEach(cleanup);

describe('useTour', () => {
  it('records the exact sequence of clicking through the whole tour', async () => {
    const t = fakeTracker();
    renderStrict(<><button id="menu">menu</button><Tour /></>, t);
    expect(state()).toBe('idle:0:-');
    click('start', 'next');
    await waitFor(() => expect(screen.getByTestId('target').textContent).toBe('menu'));
    click('next', 'next');
    expect(state()).toBe('completed:2:-');
    expect(t.events).toEqual([
      ev('TourStarted'),
      viewed('welcome', 0),
      done('welcome', 0),
      viewed('menu', 1),
      done('menu', 1),
      viewed('done', 2),
      done('done', 2),
      ev('TourCompleted'),
    ]);
    expect(resolveTarget).toHaveBeenCalledTimes(1);
  });

  it('never records a step twice in one run, whatever the back and forth', () => {
    const t = fakeTracker();
    renderStrict(<Tour steps={[{ id: 'welcome' }, { id: 'menu' }, { id: 'done' }]} />, t);
    click('start', 'next', 'back', 'next', 'goto2', 'back', 'back', 'start', 'dismiss', 'next', 'dismiss');
    expect(state()).toBe('dismissed:0:-');
    expect(t.events).toEqual([
      ev('TourStarted'),
      viewed('welcome', 0),
      done('welcome', 0),
      viewed('menu', 1),
      viewed('done', 2),
      ev('TourDismissed', { stepId: 'welcome', stepIndex: 0 }),
    ]);
  });

  it('restart begins a new run: TourRestarted, then the steps count again', () => {
    const t = fakeTracker();
    renderStrict(<Tour steps={[{ id: 'a' }, { id: 'b' }]} />, t);
    click('start', 'complete', 'restart', 'next', 'dismiss');
    expect(t.events).toEqual([
      ev('TourStarted'),
      viewed('a', 0),
      done('a', 0),
      ev('TourCompleted'),
      ev('TourRestarted'),
      viewed('a', 0),
      done('a', 0),
      viewed('b', 1),
      ev('TourDismissed', { stepId: 'b', stepIndex: 1 }),
    ]);
  });

  it.each(['local', 'session'] as const)('resumes after a reload without a second start (%s storage)', (persist) => {
    const t = fakeTracker();
    const first = renderStrict(<Tour persist={persist} autoStart steps={[{ id: 'a' }, { id: 'b' }]} />, t);
    click('next');
    first.unmount(); // the page reloads
    renderStrict(<Tour persist={persist} autoStart steps={[{ id: 'a' }, { id: 'b' }]} />, t);
    expect(state()).toBe('active:1:b');
    click('next');
    expect(t.types()).toEqual(['TourStarted', 'StepViewed', 'StepCompleted', 'StepViewed', 'StepCompleted', 'TourCompleted']);
    cleanup();
    renderStrict(<Tour persist={persist} autoStart steps={[{ id: 'a' }, { id: 'b' }]} />, t);
    expect(state()).toBe('completed:1:-'); // a finished tour does not start again by itself
    expect(t.events).toHaveLength(6);
  });

  it('autoStart under StrictMode starts once even without persistence', () => {
    const t = fakeTracker();
    renderStrict(<Tour persist="none" autoStart />, t);
    expect(state()).toBe('active:0:welcome');
    expect(t.events).toEqual([ev('TourStarted'), viewed('welcome', 0)]);
  });

  it('records target_not_found once when a step target never renders', async () => {
    const t = fakeTracker();
    renderStrict(<Tour persist="none" />, t);
    click('start', 'next');
    await waitFor(() => expect(t.types()).toContain('target_not_found'));
    await act(async () => {});
    expect(t.events.filter((e) => e.type === 'target_not_found')).toEqual([
      { type: 'target_not_found', selector: '#menu', tourId: 'onboarding', stepId: 'menu' },
    ]);
    expect(screen.getByTestId('target').textContent).toBe('none');
    expect(resolveTarget).toHaveBeenCalledTimes(1);
  });

  it('ignores unreadable saved progress', () => {
    localStorage.setItem('waymark:tour:onboarding', '{"status":"active","stepIndex":9,"run":1,"viewed":[],"completed":[]}');
    const t = fakeTracker();
    renderStrict(<Tour />, t);
    expect(state()).toBe('idle:0:-');
  });

  it('throws a clear error for bad options', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() => renderStrict(<Tour steps={[]} />, fakeTracker())).toThrow('useTour: expected steps to be a non-empty array, got []');
    spy.mockRestore();
  });
});

describe('two useTour calls for one tour', () => {
  it('never records a second start or completion', () => {
    const t = fakeTracker();
    renderStrict(
      <>
        <div data-testid="a"><Tour steps={[{ id: 'a' }]} /></div>
        <div data-testid="b"><Tour steps={[{ id: 'a' }]} /></div>
      </>,
      t,
    );
    const [startA, startB] = screen.getAllByText('start');
    const [nextA, nextB] = screen.getAllByText('next');
    fireEvent.click(startA!);
    fireEvent.click(startB!);
    fireEvent.click(nextA!);
    fireEvent.click(nextB!);
    expect(t.types()).toEqual(['TourStarted', 'StepViewed', 'StepCompleted', 'TourCompleted']);
  });
});
