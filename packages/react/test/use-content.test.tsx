// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useContent } from '../src/index';
import { fakeTracker } from './fake-tracker';
import { renderStrict } from './render';

vi.mock('@waymark/browser', () => ({ init: vi.fn(), resolveTarget: vi.fn() }));

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function Banner({ withRef = false }: { withRef?: boolean }) {
  const content = useContent('spring-sale');
  return (
    <aside ref={withRef ? content.ref : undefined}>
      <button onClick={() => content.ctaClicked('shop-now')}>shop</button>
      <button onClick={() => content.ctaClicked()}>more</button>
      <button onClick={content.dismiss}>close</button>
    </aside>
  );
}

const ev = (type: string, extra: object = {}) => ({ type, contentId: 'spring-sale', ...extra });

describe('useContent', () => {
  it('records ContentViewed once on mount, each CTA click, and one dismissal', () => {
    const t = fakeTracker();
    renderStrict(<Banner />, t);
    fireEvent.click(screen.getByText('shop'));
    fireEvent.click(screen.getByText('more'));
    fireEvent.click(screen.getByText('close'));
    fireEvent.click(screen.getByText('close'));
    expect(t.events).toEqual([
      ev('ContentViewed'),
      ev('ContentCtaClicked', { cta: 'shop-now' }),
      ev('ContentCtaClicked'),
      ev('ContentDismissed'),
    ]);
  });

  it('with the ref attached, waits until the content enters the viewport', () => {
    const observers: { cb: IntersectionObserverCallback; targets: Element[]; off: boolean }[] = [];
    vi.stubGlobal(
      'IntersectionObserver',
      class {
        o: (typeof observers)[number];
        constructor(cb: IntersectionObserverCallback) {
          this.o = { cb, targets: [], off: false };
          observers.push(this.o);
        }
        observe(el: Element) {
          this.o.targets.push(el);
        }
        disconnect() {
          this.o.off = true;
        }
      },
    );
    const t = fakeTracker();
    renderStrict(<Banner withRef />, t);
    expect(t.events).toEqual([]);
    const live = observers.filter((o) => !o.off);
    expect(live).toHaveLength(1); // StrictMode's first observer was disconnected
    const entry = (isIntersecting: boolean) => [{ isIntersecting, target: live[0]!.targets[0]! }] as IntersectionObserverEntry[];
    act(() => live[0]!.cb(entry(false), {} as IntersectionObserver));
    expect(t.events).toEqual([]);
    act(() => live[0]!.cb(entry(true), {} as IntersectionObserver));
    act(() => live[0]!.cb(entry(true), {} as IntersectionObserver));
    expect(t.events).toEqual([ev('ContentViewed')]);
    expect(live[0]!.targets[0]!.tagName).toBe('ASIDE');
  });
});
