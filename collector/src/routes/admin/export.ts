/**
 * `GET /export?format=ndjson|csv&date_from&date_to`: the raw events of a range, streamed in
 * constant memory (pages of rows, written as the socket drains). Every export is audited.
 */
import { Router } from 'express';
import type { CollectorDeps } from '../../deps';
import { badRequest } from '../../analytics/errors';
import { EXPORT_FORMATS, readAhead, writeExportPages, type ExportFormat } from '../../analytics/export';
import { resolveRange } from '../../analytics/range';
import type { ExportCursor } from '../../analytics/reader';
import { actorOf, scopeOf } from './params';
import { storeRead } from './read';

const PAGE = 1000;

export function createExportRouter(deps: CollectorDeps): Router {
  const router = Router();
  router.get('/export', async (req, res) => {
    const scope = scopeOf(req, res);
    const format = (req.query.format ?? 'ndjson') as ExportFormat;
    if (!Object.hasOwn(EXPORT_FORMATS, format)) throw badRequest('format', 'ndjson | csv', format);
    const range = resolveRange(req.query, deps.now());
    const reader = deps.store.analytics;
    // The first page is read before any byte is sent, so a failing store still answers 503.
    const first = await storeRead(deps, () => reader.exportPage({ ...scope, start: range.start, end: range.end, limit: PAGE }));
    await storeRead(deps, () => reader.audit({
      orgKey: scope.orgKey, actor: actorOf(req, res), action: 'export', target: `${range.from}..${range.to}`,
      detail: { format, env: scope.env, tz: range.tz },
    }));
    res.status(200);
    res.setHeader('Content-Type', EXPORT_FORMATS[format]);
    res.setHeader('Content-Disposition', `attachment; filename="waymark-${scope.orgKey}-${scope.env}-${range.from}-${range.to}.${format}"`);
    res.setHeader('Cache-Control', 'no-store');
    const pages = readAhead<ExportCursor>(first, (after) => reader.exportPage({ ...scope, start: range.start, end: range.end, after, limit: PAGE }));
    try {
      await writeExportPages(res, pages, format);
      res.end();
    } catch (err) {
      // headers are gone: the only honest signal left is an aborted response
      deps.logger.error({ err }, 'export failed mid-stream');
      res.destroy(err as Error);
    }
  });
  return router;
}
