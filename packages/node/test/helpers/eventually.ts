/**
 * Polls until `check` passes, for at most `ms` (the collector is real: delivery is asynchronous);
 * the last failure explains what was missing.
 */
export async function eventually(check: () => Promise<void> | void, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > end) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
