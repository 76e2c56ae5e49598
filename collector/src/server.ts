/** Listening and graceful shutdown around a {@link Collector}. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Collector } from './app';

export interface ServerOptions {
  /** default 8787; 0 picks a free port */
  port?: number;
  /** default `0.0.0.0`... use `127.0.0.1` to stay local */
  host?: string;
}

export interface RunningServer {
  server: Server;
  /** e.g. `http://127.0.0.1:8787` */
  url: string;
  port: number;
  /**
   * Graceful stop: stop accepting connections, let requests in flight finish, drain the
   * processor, close the store.
   */
  stop(): Promise<void>;
}

export async function startServer(collector: Collector, opts: ServerOptions = {}): Promise<RunningServer> {
  const server = createServer(collector.app);
  // keep-alive sockets idle longer than a typical load balancer's, so it closes first
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 8787, opts.host ?? '0.0.0.0', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = !opts.host || opts.host === '0.0.0.0' || opts.host === '::' ? 'localhost' : opts.host;
  let stopping: Promise<void> | undefined;
  return {
    server,
    port,
    url: `http://${host}:${port}`,
    stop() {
      stopping ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        // requests in flight finish; sockets that stay idle after them are closed
        const sweeper = setInterval(() => server.closeIdleConnections(), 100);
        await closed;
        clearInterval(sweeper);
        await collector.close();
      })();
      return stopping;
    },
  };
}
