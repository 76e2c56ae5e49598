/** Listening and graceful shutdown around a {@link Collector}. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Collector } from './app';

export interface ServerOptions {
  /** default 8787; 0 picks a free port */
  port?: number;
  /** interface to listen on; default `127.0.0.1` (this machine only): other hosts must be asked for */
  host?: string;
}

export interface RunningServer {
  server: Server;
  /** a URL that reaches the server from this machine, e.g. `http://127.0.0.1:8787` */
  url: string;
  /** the address really bound, e.g. `127.0.0.1`, `::1`, or `0.0.0.0` / `::` for every interface */
  address: string;
  /** true when bound to every interface (`0.0.0.0` or `::`): reachable from other machines */
  everyInterface: boolean;
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
    server.listen(opts.port ?? 8787, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address, family } = server.address() as AddressInfo;
  const everyInterface = address === '0.0.0.0' || address === '::';
  // the URL names what was really bound (a host name such as `localhost` resolves to one address)
  const local = everyInterface ? (address === '::' ? '::1' : '127.0.0.1') : address;
  const host = family === 'IPv6' || local.includes(':') ? `[${local}]` : local;
  let stopping: Promise<void> | undefined;
  return {
    server,
    port,
    address,
    everyInterface,
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
