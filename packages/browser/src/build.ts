/**
 * True in the CDN embed's build only (its rollup config replaces the value); tests from source and
 * the npm builds see false. Code the script tag cannot configure is folded away under it.
 */
export const EMBED = false as boolean;
