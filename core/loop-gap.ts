/**
 * Watches this thread's event loop: a 5 ms timer notes the longest time between its turns, which
 * is how long the thread was blocked (a request it serves would have waited that long). Used by
 * the benchmarks and by tests that check heavy work runs elsewhere.
 */
export function watchEventLoop(intervalMs = 5): { stop(): Promise<number> } {
  let maxGap = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
  }, intervalMs);
  return {
    /** Stops watching and gives the longest gap in ms, after one more turn (so a block at the very end counts too). */
    async stop(): Promise<number> {
      await new Promise((resolve) => setTimeout(resolve, 2 * intervalMs));
      clearInterval(timer);
      return maxGap;
    },
  };
}
