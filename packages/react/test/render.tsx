import { StrictMode, type ReactElement } from 'react';
import { render } from '@testing-library/react';
import { WaymarkProvider } from '../src/index';
import type { WaymarkTracker } from '../src/types';

/**
 * Renders `ui` under `<StrictMode>` at the root with a provider around it. StrictMode must be the
 * root element: React 19 does not double-invoke effects when it sits inside RTL's `wrapper`.
 */
export function renderStrict(ui: ReactElement, tracker: WaymarkTracker) {
  return render(
    <StrictMode>
      <WaymarkProvider tracker={tracker}>{ui}</WaymarkProvider>
    </StrictMode>,
  );
}
