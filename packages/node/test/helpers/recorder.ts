/**
 * A tiny recording HTTP server on 127.0.0.1 for transport-level tests (status mapping, gzip,
 * headers) where the real collector cannot be made to answer every status. Delivery tests use
 * the real collector.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  /** raw bytes as received */
  raw: Buffer;
  /** body after gunzip when Content-Encoding is gzip */
  body: string;
  at: number;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export async function startRecorder(reply: (req: Recorded, index: number) => Reply = () => ({ status: 204 })) {
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
      const rec: Recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, raw, body, at: Date.now() };
      requests.push(rec);
      const r = reply(rec, requests.length - 1);
      res.writeHead(r.status, r.headers);
      res.end(r.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
