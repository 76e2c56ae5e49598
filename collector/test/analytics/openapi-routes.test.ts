/**
 * The OpenAPI document covers every route mounted under `/v1/admin` (and describes no route that
 * is not mounted): the routes are read from the Express app itself, so a route added without its
 * documentation fails here. Every path parameter is declared, and every operation answers JSON
 * errors in the collector's format.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { openApiDocument } from '../../src/openapi';
import { startHarness, type Harness } from './harness';

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: unknown;
}

/** `METHOD /path` of every route of a router stack, mount paths included. */
function mountedRoutes(stack: Layer[], prefix = ''): string[] {
  const out: string[] = [];
  for (const layer of stack) {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      for (const p of paths) for (const m of Object.keys(layer.route.methods)) if (m !== '_all') out.push(`${m.toUpperCase()} ${prefix}${p}`);
    } else if (layer.handle?.stack) {
      const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
      out.push(...mountedRoutes(layer.handle.stack, prefix + mount));
    }
  }
  return out;
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

describe('the OpenAPI document and the mounted admin routes', () => {
  it('list the same routes under /v1/admin', () => {
    const app = h.collector.app as Express & { router: { stack: Layer[] } };
    const mounted = mountedRoutes(app.router.stack)
      .filter((r) => r.split(' ')[1]!.startsWith('/v1/admin/'))
      .map((r) => r.replace(' /v1/admin', ' ').replace(/:(\w+)/g, '{$1}'));
    const doc = openApiDocument() as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    expect(mounted.length).toBeGreaterThan(15);
    expect([...new Set(mounted)].sort()).toEqual([...new Set(documented)].sort());
    // the two: answered live, and now described
    expect(documented).toEqual(expect.arrayContaining(['GET /pixel/sessions/{sid}', 'GET /pixel/users/{uid}']));
  });

  it('declares every path parameter and documents JSON errors on every authenticated operation', () => {
    const doc = openApiDocument() as { paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; responses: Record<string, unknown>; security?: unknown[] }>> };
    for (const [p, ops] of Object.entries(doc.paths)) {
      const names = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const [method, op] of Object.entries(ops)) {
        const declared = (op.parameters ?? []).filter((x) => x.in === 'path').map((x) => x.name);
        expect([method, p, declared.sort()]).toEqual([method, p, [...names].sort()]);
        if (op.security?.length) expect(Object.keys(op.responses), `${method} ${p}`).toEqual(expect.arrayContaining(['200', '400', '401', '503']));
      }
    }
  });
});
