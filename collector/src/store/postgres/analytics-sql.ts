/** Small helpers of the PostgreSQL analytics reads. */

/** Numbers `?` placeholders as `$1, $2, …` so the SQL reads like SQLite's twin. */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** `?, ?, ?` for `n` values. */
export const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** An activity / audit `detail` column parsed to an object, tolerant of old or odd values. */
export function parseDetail(s: string): Record<string, unknown> {
  try {
    const v = JSON.parse(s) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : { value: v };
  } catch {
    return {};
  }
}
