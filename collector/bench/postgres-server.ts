/**
 * A collector on PostgreSQL for the ingest benchmark, in its own process (the twin of `server.ts`).
 * Usage: postgres-server.ts <url> <schema> <inproc|noproc>. `noproc`: the collector only writes,
 * separate `processor` processes count. Prints `PORT <n>` once listening.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCollector } from '../src/app';

const [url, schema, mode] = process.argv.slice(2);
const c = await createCollector({
  scheduleRetention: false,
  inProcessProcessor: mode !== 'noproc',
  config: {
    logLevel: (process.env.BENCH_LOG_LEVEL as 'info') ?? 'info',
    database: { url, schema, poolSize: 10 },
    orgs: [{ key: 'bench', apiKeys: ['sk_bench_0123456789abcdef'], rateLimit: { requests: 1e9, perSeconds: 3600 }, journeys: [{ key: 'checkout' }] }],
  },
});
const server = createServer(c.app);
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`PORT ${(server.address() as AddressInfo).port}\n`));
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  c.close().finally(() => process.exit(0));
});
