/**
 * Starts the demo: `npm start -w @waymark/example-node-server` with a collector running
 * (`npm start` at the repository root). Configuration from the environment:
 * WAYMARK_COLLECTOR (default http://127.0.0.1:8787), WAYMARK_ORG, WAYMARK_JOURNEY, WAYMARK_SITE, PORT.
 */
import type { AddressInfo } from 'node:net';
import { createNodeTracker } from '@waymark/node';
import { createApp } from './app';

const collectorUrl = process.env.WAYMARK_COLLECTOR ?? 'http://127.0.0.1:8787';
const tracker = createNodeTracker({
  org: process.env.WAYMARK_ORG ?? 'demo',
  journey: process.env.WAYMARK_JOURNEY ?? 'demo-journey',
  endpoint: `${collectorUrl}/api/ingest`,
  env: 'dev',
  debug: process.env.WAYMARK_DEBUG === '1',
  // batches survive a crash or a collector restart, and are sent by the next start
  spoolDir: process.env.WAYMARK_SPOOL ?? '.waymark-spool',
  handleSignals: true,
});
const app = createApp({ tracker, collectorUrl, site: process.env.WAYMARK_SITE ?? 'demo.local' });
const port = Number(process.env.PORT ?? 3000);
// this machine only, like the collector (HOST=0.0.0.0 to open it to others)
const server = app.listen(port, process.env.HOST ?? '127.0.0.1', () => {
  const { port: actual, address } = server.address() as AddressInfo;
  console.log(`demo on http://${address}:${actual} (events to ${collectorUrl})`);
});
