/**
 * The collector's one error format: `{ "error": { "code": "...", "message": "..." } }` with the
 * status. Client mistakes are always 4xx; a failing store is 503 with `Retry-After`.
 */
import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from 'pino';

/** An error that maps to an HTTP answer. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** Thrown (or wrapped) when the store rejects: the client should retry later. */
export class StoreUnavailableError extends Error {
  constructor(override readonly cause: unknown) {
    super(`store unavailable: ${(cause as Error)?.message ?? String(cause)}`);
  }
}

/** What the request log records of an error answer (see `requestLogger` in app.ts). */
export interface LoggedError {
  code: string;
  message: string;
}

export function sendError(res: Response, status: number, code: string, message: string, extra?: { headers?: Record<string, string>; details?: Record<string, unknown> }): void {
  if (res.headersSent) return;
  for (const [k, v] of Object.entries(extra?.headers ?? {})) res.setHeader(k, v);
  // the request log line carries the code and the reason, so the operator sees why a client was refused
  res.locals.error = { code, message: message.length > 300 ? `${message.slice(0, 300)}…` : message } satisfies LoggedError;
  res.status(status).json({ error: { code, message, ...extra?.details } });
}

/** body-parser error types → our codes (all client mistakes). */
const BODY_ERRORS: Record<string, [number, string]> = {
  'entity.too.large': [413, 'body_too_large'],
  'entity.parse.failed': [400, 'malformed_json'],
  'encoding.unsupported': [415, 'unsupported_encoding'],
  'charset.unsupported': [415, 'unsupported_charset'],
  'entity.verify.failed': [400, 'invalid_body'],
  'request.aborted': [400, 'request_aborted'],
  'request.size.invalid': [400, 'invalid_body_size'],
  'stream.encoding.set': [400, 'invalid_body'],
  'stream.not.readable': [400, 'invalid_body'],
  'parameters.too.many': [413, 'too_many_parameters'],
};

/** The last middleware: turns every error into the JSON error format. */
export function errorHandler(opts: { logger: Logger; retryAfterSeconds: number }): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (err instanceof HttpError) return sendError(res, err.status, err.code, err.message, { headers: err.headers, details: err.details });
    if (err instanceof StoreUnavailableError) {
      opts.logger.error({ err: err.cause, reqId: req.id }, 'store unavailable');
      return sendError(res, 503, 'store_unavailable', 'the event store is unavailable, retry later', {
        headers: { 'Retry-After': String(opts.retryAfterSeconds) },
      });
    }
    const type = (err as { type?: string })?.type;
    const status = Number((err as { status?: number })?.status);
    if (type && BODY_ERRORS[type]) {
      const [s, code] = BODY_ERRORS[type];
      return sendError(res, s, code, bodyMessage(code, err as Error));
    }
    if (status >= 400 && status < 500) return sendError(res, status, 'bad_request', (err as Error).message || 'bad request');
    opts.logger.error({ err, reqId: req.id }, 'unhandled error');
    return sendError(res, 500, 'internal_error', 'internal error');
  };
}

function bodyMessage(code: string, err: Error & { limit?: number }): string {
  if (code === 'body_too_large') return `request body exceeds ${err.limit ?? 'the limit of'} bytes (after decompression)`;
  if (code === 'malformed_json') return `body is not valid JSON: ${err.message}`;
  return err.message;
}
