import { useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { getTracker, VERSION } from '@waymark/browser';
import { WaymarkProvider, useJourneyStep, useTracker } from '@waymark/react';

declare global {
  interface Window {
    __external?: { sameTracker: boolean; version: string };
  }
}

function Probe() {
  const tracker = useTracker();
  useJourneyStep('vite-page');
  useEffect(() => {
    if (!tracker) return;
    // one copy of @waymark/browser in the bundle: the hook's tracker is the page's tracker
    window.__external = { sameTracker: tracker === getTracker(), version: VERSION };
    tracker.track('external_vite_ready', {});
    void tracker.flush();
  }, [tracker]);
  return <p id="status">{tracker ? 'tracking' : 'starting'}</p>;
}

createRoot(document.getElementById('root')!).render(
  <WaymarkProvider options={{ org: 'demo', journey: 'demo-journey', endpoint: new URL('/api/ingest', location.href).href }}>
    <Probe />
  </WaymarkProvider>,
);
