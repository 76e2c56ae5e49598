import { hydrateRoot } from 'react-dom/client';
import { App } from './App';

const endpoint = (window as unknown as { __endpoint: string }).__endpoint;
hydrateRoot(document.getElementById('root')!, <App endpoint={endpoint} />, {
  onRecoverableError: (e) => console.error('hydration mismatch', e),
});
