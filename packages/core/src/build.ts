/**
 * True only where the CDN embed's build bundles the core (its rollup config replaces the value);
 * the npm builds and tests see false. Options and platform parts that the embed never sets (a
 * console, store names, plugins) are then folded away.
 */
export const EMBED = false as boolean;
