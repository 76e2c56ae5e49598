/** Listening and graceful shutdown around a {@link Collector}. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
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
  server.on('clientError', onClientError);
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

const BAD_REQUEST = JSON.stringify({ error: { code: 'bad_request', message: 'malformed HTTP request' } });

/**
 * Unparseable bytes on a connection (e.g. the rest of a body that was refused before it was
 * read, or plain garbage). Node's default handler destroys the socket, which can discard a
 * response still being flushed; ending it lets that response reach the client first.
 */
function onClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (inFlight?.headersSent) {
    socket.end();
    return;
  }
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
  socket.end(
    `HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(BAD_REQUEST)}\r\nConnection: close\r\n\r\n${BAD_REQUEST}`,
  );
}
