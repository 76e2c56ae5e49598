/**
 * `@waymark/core/schema`: the runtime schema of the wire format, for collectors and tests.
 * Kept out of the main entry so that browser bundles never include the validator.
 */
export * from './events';
