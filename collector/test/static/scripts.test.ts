/**
 * The embed and its vitals add-on as browsers get them: brotli or gzip (the build's precompressed
 * files, or compressed once in memory), strong ETags with 304s, a short cache on the stable URL
 * and a year's `immutable` cache on the content-hash URL, whose SRI value the banner prints.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEmbed } from '../../src/routes/static';
import { startTestCollector, type TestCollector } from '../helpers/collector';

const EMBED = `/* embed */ ${'window.JourneyEmbed = { version: "1" };\n'.repeat(50)}`;
const VITALS = `/* vitals */ ${'console.log("vitals");\n'.repeat(50)}`;
let c: TestCollector;
let dir: string;
const paths = () => ({ embedFile: join(dir, 'embed.js'), embedVitalsFile: join(dir, 'embed-vitals.js') });
const hashOf = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 10);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'waymark-static-'));
  writeFileSync(join(dir, 'embed.js'), EMBED);
  // as the build writes them; marked so the test can tell them from in-memory compression
  writeFileSync(join(dir, 'embed.js.br'), brotliCompressSync(EMBED));
  writeFileSync(join(dir, 'embed.js.gz'), gzipSync(`${EMBED}// from the build\n`));
  writeFileSync(join(dir, 'embed-vitals.js'), VITALS); // no precompressed files: compressed in memory
  c = await startTestCollector({ staticPaths: paths() });
});
afterAll(async () => {
  await c?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Raw HTTP (fetch would decompress and hide Content-Encoding and the transfer size). */
function get(path: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    const req = request(`${c.url}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe.each([
  ['/embed/v1', EMBED],
  ['/embed/v1/vitals', VITALS],
])('%s', (prefix, source) => {
  it('brotli when accepted (preferred over gzip), gzip otherwise, identity without Accept-Encoding', async () => {
    const br = await get(`${prefix}.js`, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(br.headers['access-control-allow-origin']).toBe('*');
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(br.body.length).toBeLessThan(source.length / 5);
    expect(brotliDecompressSync(br.body).toString()).toBe(source);

    const gz = await get(`${prefix}.js`, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(prefix === '/embed/v1' ? `${EMBED}// from the build\n` : source);

    const q = await get(`${prefix}.js`, { 'accept-encoding': 'br;q=0.1, gzip;q=0.9' });
    expect(q.headers['content-encoding']).toBe('gzip');

    const plain = await get(`${prefix}.js`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(source);
  });

  it('a short cache on the stable URL, immutable on the content-hash URL, 404 for another hash', async () => {
    const hash = hashOf(source);
    const stable = await get(`${prefix}.js`, { 'accept-encoding': 'br' });
    expect(stable.headers['cache-control']).toBe('public, max-age=300');
    expect(stable.headers.etag).toBe(`"${hash}-br"`);
    const pinned = await get(`${prefix}.${hash}.js`, { 'accept-encoding': 'br' });
    expect(pinned.status).toBe(200);
    expect(pinned.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(brotliDecompressSync(pinned.body).toString()).toBe(source);
    const old = await get(`${prefix}.0123456789.js`);
    expect(old.status).toBe(404);
    expect(JSON.parse(old.body.toString())).toMatchObject({ error: { code: 'embed_version_not_found' } });
  });

  it('ETag per encoding, 304 on If-None-Match, HEAD without a body', async () => {
    const hash = hashOf(source);
    expect((await get(`${prefix}.js`)).headers.etag).toBe(`"${hash}"`);
    expect((await get(`${prefix}.js`, { 'accept-encoding': 'gzip' })).headers.etag).toBe(`"${hash}-gzip"`);
    const again = await get(`${prefix}.js`, { 'accept-encoding': 'br', 'if-none-match': `"${hash}-br"` });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect((await get(`${prefix}.js`, { 'accept-encoding': 'br', 'if-none-match': '"other"' })).status).toBe(200);
    const head = await get(`${prefix}.js`, { 'accept-encoding': 'br' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-encoding']).toBe('br');
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
    expect(head.body.length).toBe(0);
  });
});

describe('the banner values and rebuilds', () => {
  it('describeEmbed gives the versioned path and the SRI value of the bytes served', () => {
    const sri = `sha384-${createHash('sha384').update(EMBED).digest('base64')}`;
    expect(describeEmbed(paths())).toEqual({ path: `/embed/v1.${hashOf(EMBED)}.js`, integrity: sri });
  });

  it('a rebuilt script is served at once; precompressed files older than it are not used', async () => {
    const next = `${EMBED}// rebuilt\n`;
    writeFileSync(join(dir, 'embed.js'), next);
    const future = new Date(Date.now() + 5_000);
    utimesSync(join(dir, 'embed.js'), future, future); // newer than the stale .br / .gz
    const br = await get('/embed/v1.js', { 'accept-encoding': 'br' });
    expect(brotliDecompressSync(br.body).toString()).toBe(next);
    expect(br.headers.etag).toBe(`"${hashOf(next)}-br"`);
    expect((await get(`/embed/v1.${hashOf(EMBED)}.js`)).status).toBe(404);
  });

  it('a script that is not built answers 404 with a JSON reason', async () => {
    rmSync(join(dir, 'embed-vitals.js'));
    const res = await get('/embed/v1/vitals.js');
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body.toString())).toMatchObject({ error: { code: 'embed_not_built' } });
  });
});
