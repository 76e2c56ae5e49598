import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { WaymarkProvider } from '@waymark/react';
import { App } from './App';
import './styles.css';

const params = new URLSearchParams(location.search);

// The local collector's demo org and journey; the endpoint is on the page's own origin
// (the collector serves this build), or `?endpoint=` for another collector.
const options = {
  org: 'demo',
  journey: 'demo-journey',
  endpoint: new URL(params.get('endpoint') ?? '/api/ingest', location.href).href,
  debug: params.has('debug'),
  // The form below reports its fields through useJourneyForm, so the SDK's automatic field,
  // validation and submit tracking is switched off (it would count each of them twice).
  autoTrack: { fields: false, validation: false, forms: false },
};

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <WaymarkProvider options={options}>
      <App />
    </WaymarkProvider>
  </StrictMode>,
);
