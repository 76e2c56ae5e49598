/**
 * A 127.0.0.1 proxy in front of a real collector that records every request passing through it
 * (method, URL, headers and the whole body, gunzipped) and forwards it untouched. Browser tests
 * load their pages through it, so what a page sends is observed on the wire, including the beacons
 * a closing page hands to the browser, which a page's own `request` events may never report.
 */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One request as it reached the proxy. */
export interface RecordedRequest {
  method: string;
  /** path and query, e.g. `/api/ingest` */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** the body as text (gunzipped when sent with `Content-Encoding: gzip`) */
  body: string;
  /** the upstream status, once answered */
  status?: number;
}

export interface RecordingProxy {
  /** base URL of the proxy, e.g. `http://127.0.0.1:41234` */
  url: string;
  /** every request so far, in arrival order */
  requests: RecordedRequest[];
  /** requests received and not answered yet */
  readonly inFlight: number;
  close(): Promise<void>;
}

const text = (raw: Buffer, encoding: string | undefined) => {
  try {
    return (encoding === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
  } catch {
    return raw.toString('utf8');
  }
};

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const to = new URL(target);
  const requests: RecordedRequest[] = [];
  let inFlight = 0;
  const server = createServer((req, res) => {
    inFlight++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const rec: RecordedRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers: { ...req.headers }, body: text(raw, req.headers['content-encoding'] as string | undefined) };
      requests.push(rec);
      const upstream = request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
        rec.status = up.statusCode;
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.on('error', () => res.writeHead(502).end());
      upstream.end(raw);
    });
    res.on('close', () => inFlight--);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get inFlight() {
      return inFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
