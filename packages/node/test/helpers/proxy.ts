/**
 * A 127.0.0.1 proxy in front of the real collector that answers the first `failures` requests
 * itself (503 with Retry-After by default) and forwards the rest untouched, recording when
 * each request arrived.
 */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function startFailingProxy(target: string, failures: number, reply = { status: 503, retryAfter: '1' }) {
  const arrivals: { at: number; forwarded: boolean; encoding?: string }[] = [];
  const to = new URL(target);
  const server = createServer((req, res) => {
    const forwarded = arrivals.length >= failures;
    arrivals.push({ at: Date.now(), forwarded, encoding: req.headers['content-encoding'] });
    if (!forwarded) {
      req.resume();
      req.on('end', () => {
        res.writeHead(reply.status, { 'retry-after': reply.retryAfter, 'content-type': 'application/json' });
        res.end('{"error":{"code":"store_unavailable","message":"injected by the test proxy"}}');
      });
      return;
    }
    const upstream = request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    arrivals,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
