/**
 * A server for the ingest benchmark, in its own process: `bare` is an Express app that parses the
 * same batches (express.json, any content type, 1 MB) and answers 204; `collector` is the real
 * collector on SQLite in a temporary directory. Prints `PORT <n>` once listening.
 */
import express from 'express';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createCollector } from '../src/app';

const mode = process.argv[2];
const dir = mkdtempSync(join(tmpdir(), 'waymark-bench-'));

async function app() {
  if (mode === 'bare') {
    const a = express();
    a.post('/api/ingest', express.json({ limit: 1024 * 1024, type: () => true }), (_req, res) => void res.status(204).end());
    return { handler: a, close: async () => {} };
  }
  const c = await createCollector({
    dataDir: dir,
    scheduleRetention: false,
    config: {
      logLevel: (process.env.BENCH_LOG_LEVEL as 'info') ?? 'info',
      processor: { mode: (process.env.BENCH_PROCESSOR as 'inline') ?? 'inline' },
      orgs: [{ key: 'bench', apiKeys: ['sk_bench_0123456789abcdef'], rateLimit: { requests: 1e9, perSeconds: 3600 }, journeys: [{ key: 'checkout' }] }],
    },
  });
  return {
    handler: c.app,
    close: async () => {
      // drain() counts what the last coalescing window left; a non-zero backlog after it is a bug
      await c.processor.drain();
      const backlog = await c.store.outboxBacklog();
      await c.close();
      process.stderr.write(`outbox backlog at stop: ${backlog}\n`);
    },
  };
}

const { handler, close } = await app();
// CPU of the whole process (all threads) from the first request on: per request, it does not
// depend on how busy the machine is, unlike requests per second
let firstCpu: NodeJS.CpuUsage | undefined;
let served = 0;
const server = createServer((req, res) => {
  firstCpu ??= process.cpuUsage();
  served++;
  handler(req, res);
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`PORT ${(server.address() as AddressInfo).port}\n`));
process.on('SIGTERM', () => {
  const cpu = firstCpu ? process.cpuUsage(firstCpu) : { user: 0, system: 0 };
  process.stderr.write(`CPU ${cpu.user + cpu.system} ${served}\n`);
  server.close();
  server.closeAllConnections();
  close().finally(() => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
});
