/**
 * A built script served as the browser asks for it: brotli or gzip from the `.br` / `.gz` files
 * the build writes beside it (compressed in memory once when they are missing or older than the
 * script), a strong `ETag` per encoding, `304` on `If-None-Match`, and the content hash for a
 * versioned, immutable URL plus the SRI `integrity` value of the script tag.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { Request, Response } from 'express';
import Negotiator from 'negotiator';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export interface BuiltScript {
  /** first 10 hex digits of the script's SHA-256: the versioned URL's `<hash>` */
  hash: string;
  /** SRI value for `<script integrity="…">`: `sha384-<base64>` */
  integrity: string;
  bodies: { br: Buffer; gzip: Buffer; identity: Buffer };
}

const cache = new Map<string, { stamp: string; script: BuiltScript }>();

/** The script at `file` and its compressed forms, or undefined when it is not built. Cached until the file changes. */
export function loadScript(file: string | undefined): BuiltScript | undefined {
  if (!file || !existsSync(file)) return undefined;
  const st = statSync(file);
  const stamp = `${st.size}:${st.mtimeMs}`;
  const hit = cache.get(file);
  if (hit?.stamp === stamp) return hit.script;
  const identity = readFileSync(file);
  const script: BuiltScript = {
    hash: createHash('sha256').update(identity).digest('hex').slice(0, 10),
    integrity: `sha384-${createHash('sha384').update(identity).digest('base64')}`,
    bodies: {
      identity,
      br: compressed(`${file}.br`, st.mtimeMs, () =>
        brotliCompressSync(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT } }),
      ),
      gzip: compressed(`${file}.gz`, st.mtimeMs, () => gzipSync(identity, { level: 9 })),
    },
  };
  cache.set(file, { stamp, script });
  return script;
}

/** The build's precompressed file, unless it is missing or older than the script (a partial rebuild). */
function compressed(file: string, scriptMtime: number, make: () => Buffer): Buffer {
  return existsSync(file) && statSync(file).mtimeMs >= scriptMtime ? readFileSync(file) : make();
}

const ENCODINGS = ['br', 'gzip', 'identity'] as const;
/** negotiator 1.x breaks ties by our order (`preferred`); its published types predate the option */
const preferredEncoding = (n: Negotiator, available: string[], o: { preferred: string[] }): string | undefined =>
  (n.encoding as (available: string[], o: { preferred: string[] }) => string | undefined).call(n, available, o);

/**
 * Sends `script` in the encoding the request prefers (brotli first among equals), with
 * `cacheControl`; answers 304 when the client's `If-None-Match` already names this body.
 */
export function sendScript(req: Request, res: Response, script: BuiltScript, cacheControl: string): void {
  const encoding = (preferredEncoding(new Negotiator(req), [...ENCODINGS], { preferred: [...ENCODINGS] }) ?? 'identity') as (typeof ENCODINGS)[number];
  res.setHeader('Content-Type', 'application/javascript; charset=utf-8');
  res.setHeader('Cache-Control', cacheControl);
  res.setHeader('Vary', 'Accept-Encoding');
  // any page may load the script; `crossorigin` + `integrity` need the CORS header too
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('ETag', `"${script.hash}${encoding === 'identity' ? '' : `-${encoding}`}"`);
  if (encoding !== 'identity') res.setHeader('Content-Encoding', encoding);
  if (req.fresh) {
    res.status(304).end();
    return;
  }
  const body = script.bodies[encoding];
  res.setHeader('Content-Length', String(body.length));
  res.status(200).end(req.method === 'HEAD' ? undefined : body);
}
