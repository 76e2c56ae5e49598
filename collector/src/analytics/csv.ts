/**
 * CSV cells (RFC 4180) that spreadsheets cannot execute: a cell starting with = + - @, a tab or a
 * carriage return is prefixed with `'` (OWASP's CSV-injection advice), then quoted if needed.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;
/** Either of the two above, in one test: most cells of an export match neither. */
const SPECIAL = /^[=+\-@\t\r]|[",\r\n]/;

/** One cell. `null`/`undefined` become an empty cell; objects are written as JSON. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return NEEDS_QUOTES.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** One text cell: `csvCell(s)`, answered with a single test for the common cell that needs nothing. */
export const csvText = (s: string): string => (SPECIAL.test(s) ? csvCell(s) : s);

/** One CSV line, CRLF-terminated as RFC 4180 says. */
export const csvLine = (cells: readonly unknown[]): string => cells.map(csvCell).join(',') + '\r\n';
