import { useEffect } from 'react';
import { getTracker } from '@waymark/browser';
import { WaymarkProvider, useJourneyStep, useTracker } from '@waymark/react';

function Probe() {
  const tracker = useTracker();
  useJourneyStep('ssr-page');
  useEffect(() => {
    if (!tracker) return;
    (window as unknown as { __external: unknown }).__external = { sameTracker: tracker === getTracker(), hydrated: true };
    tracker.track('external_ssr_hydrated', {});
    void tracker.flush();
  }, [tracker]);
  return <p id="status">{tracker ? 'tracking' : 'rendered on the server'}</p>;
}

export function App({ endpoint }: { endpoint: string }) {
  return (
    <WaymarkProvider options={{ org: 'demo', journey: 'demo-journey', endpoint }}>
      <main>
        <h1>External app (server-rendered)</h1>
        <Probe />
      </main>
    </WaymarkProvider>
  );
}
