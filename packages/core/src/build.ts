/**
 * True only where the CDN embed's build bundles the core (its rollup config replaces the value);
 * the npm builds and tests see false. What the embed never sets (a console, store names, plugins)
 * and the checks for platform parts it always has (location, context) are then folded away.
 */
export const EMBED = false as boolean;
