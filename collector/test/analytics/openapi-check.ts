/**
 * Validates real answers against the served OpenAPI document's component schemas (ajv, JSON
 * Schema 2020-12 as OpenAPI 3.1 uses), so the document cannot drift from what the API returns.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { expect } from 'vitest';

export function openApiChecker(doc: any): (schema: string, body: unknown) => void {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  const compiled = new Map<string, ValidateFunction>();
  for (const [name, schema] of Object.entries(doc.components.schemas as Record<string, object>)) {
    compiled.set(name, ajv.compile(schema));
  }
  return (schema, body) => {
    const v = compiled.get(schema);
    if (!v) throw new Error(`the OpenAPI document has no schema "${schema}"`);
    const ok = v(body);
    expect(ok ? [] : v.errors, `answer does not match ${schema}`).toEqual([]);
  };
}
