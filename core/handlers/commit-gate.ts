/**
 * A cancel flag shared by the thread that owns a job and the worker thread doing it, with one
 * commit point that only one of them can pass.
 *
 * Why not terminate the worker: a worker stopped from outside can be stopped after its COMMIT and
 * before its answer arrives, and the caller then reports "cancelled, nothing saved" over a file
 * that was saved (seen in CI). With this gate the worker asks to commit and the owner asks to
 * cancel, by compare-and-swap on one shared word, so exactly one wins: a cancel that wins rolls the
 * transaction back; a cancel that comes after the commit was claimed is too late, and the caller is
 * told the work was saved.
 */

const RUNNING = 0;
const CANCELLED = 1;
const COMMITTING = 2;

/** A fresh gate: shared (not transferred) with the worker, so both threads see the same word. */
export function newCommitGate(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
}

/**
 * Owner side. true: the cancel took, and the worker will roll back and answer "cancelled".
 * false: the worker had already claimed the commit; its work is (being) saved.
 */
export function requestCancel(gate: Int32Array): boolean {
  return Atomics.compareExchange(gate, 0, RUNNING, CANCELLED) !== COMMITTING;
}

/** Worker side: a cheap check to stop early (parse, row loop). */
export function cancelRequested(gate: Int32Array | undefined): boolean {
  return gate !== undefined && Atomics.load(gate, 0) === CANCELLED;
}

/**
 * Worker side: an AbortSignal for code that stops on one (a parser, the salvage copy), fired by
 * `poll()` once a cancel is seen on the gate. The worker calls poll where it reports progress: the
 * gate is a shared word, not an event, so someone has to look at it.
 */
export function gateSignal(gate: Int32Array | undefined): { signal: AbortSignal; poll: () => void } {
  const stop = new AbortController();
  return { signal: stop.signal, poll: () => void (cancelRequested(gate) && stop.abort()) };
}

/** Worker side, last thing before COMMIT: true when the commit may go ahead (no cancel can win after this). */
export function claimCommit(gate: Int32Array | undefined): boolean {
  return gate === undefined || Atomics.compareExchange(gate, 0, RUNNING, COMMITTING) === RUNNING;
}

/**
 * Runs `work` with a fresh gate that `signal` cancels through (the caller's side of both gated
 * tasks: log imports and salvage). The listener is removed however the work ends.
 */
export async function withCommitGate<T>(signal: AbortSignal | undefined, work: (gate: Int32Array) => Promise<T>): Promise<T> {
  const gate = newCommitGate();
  const onAbort = (): void => void requestCancel(gate);
  if (signal?.aborted) onAbort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await work(gate);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
