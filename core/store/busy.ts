/**
 * Waiting for the write lock without blocking the thread.
 *
 * Workers save large imports in one transaction (core/handlers/import-task.ts), holding SQLite's
 * write lock for seconds (1.7 s for a 16 MB netperf log). A main-thread write meanwhile (an
 * autosave, a finished sweep point) used to wait inside SQLite's busy handler — synchronously, so
 * the Electron main process or the HTTP server stood still for up to the 5 s busy timeout. Hosts
 * that serve a UI therefore set busy_timeout = 0 on their connection and retry here: the write
 * fails at once with SQLITE_BUSY, having written nothing, and is tried again after a pause in
 * which the event loop runs.
 */

export function isBusy(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT';
}

export interface RetryOptions {
  /** Give up (rethrow the SQLITE_BUSY error) after this long. */
  maxMs?: number;
  signal?: AbortSignal | undefined;
}

/**
 * Runs `fn` — one transaction, or work that writes nothing until its single transaction — and
 * runs it again while it fails with SQLITE_BUSY, pausing 5 ms, doubling to 200 ms, in between.
 * Only for functions whose failed attempt leaves nothing behind.
 */
export async function retryBusy<T>(fn: () => T | Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const deadline = performance.now() + (opts.maxMs ?? 120_000);
  let pause = 5;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (!isBusy(e) || performance.now() + pause > deadline || opts.signal?.aborted) throw e;
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(200, pause * 2);
  }
}
