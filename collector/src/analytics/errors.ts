/**
 * Client mistakes on admin routes are the collector's own {@link HttpError}, so the one JSON
 * error middleware answers `{ error: { code, message } }` with a 4xx, never a 500.
 */
import { HttpError } from '../http/errors';

export { HttpError };

/** A 400 naming the parameter, what was expected and what was received. */
export const badRequest = (param: string, expected: string, got: unknown): HttpError =>
  new HttpError(400, 'invalid_parameter', `${param}: expected ${expected}, got ${JSON.stringify(got)}`);
