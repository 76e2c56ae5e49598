/**
 * Opt-in process hooks: deliver what is buffered when the process is told to stop (SIGTERM,
 * SIGINT) or is about to exit because nothing is left to do (beforeExit).
 */

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Installs the handlers; returns a function that removes them. On a signal the tracker shuts
 * down (bounded by its timeout), then, when no other listener handles that signal, the signal
 * is raised again so the process ends exactly as it would have without us.
 */
export function installSignalHandlers(shutdown: () => Promise<unknown>): () => void {
  let done = false;
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    // A second Ctrl+C means "now": stop waiting for delivery.
    if (stopping) {
      remove();
      process.kill(process.pid, signal);
      return;
    }
    stopping = true;
    void shutdown().finally(() => {
      remove();
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  };
  // beforeExit fires again after our async work ends: shut down once, never loop.
  const onBeforeExit = () => {
    if (done) return;
    done = true;
    void shutdown();
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  process.on('beforeExit', onBeforeExit);
  function remove() {
    for (const s of SIGNALS) process.off(s, onSignal);
    process.off('beforeExit', onBeforeExit);
  }
  return remove;
}
