/** Advisory locks shared by several PostgreSQL modules. */

/** Taken shared by every claim (and dead-letter retry), exclusively by rebuilds and user deletions. */
export const ROLLUPS_LOCK = "hashtext(current_schema() || ':waymark:rollups')";
