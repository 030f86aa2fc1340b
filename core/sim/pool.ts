/**
 * Worker pools: one for simulation runs (replications, sweep points, calibration), one for the rest
 * (store reads and writes, log imports, measured tables, reports' data). Each has up to one thread
 * per available core, is created on first use and destroyed explicitly (destroyPool) by whoever owns
 * the process lifetime.
 *
 * Why two: a simulation cannot be preempted, so on one pool a log import or opening a notebook waited
 * for a running simulation to end (minutes for a 600 s run) even at the head of the queue. On a pool of
 * its own such work starts at once and shares the cores with the runs for the moment it takes.
 */
import { setMaxListeners } from 'node:events';
import { existsSync } from 'node:fs';
import { compiledPath } from '../paths.js';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { MessagePort } from 'node:worker_threads';
import type { WorkerMessage } from './worker.js';
import { isBulkTask, OrderedTaskQueue } from './ordered-task-queue.js';

/**
 * Tasks whose requests carry a control word (RunRequest.progress, 8 bytes: progress, cancel) that the
 * task checks: they are cancelled by setting the word, not by an abort signal, so that piscina keeps
 * them in OrderedTaskQueue's order (see there) and no worker is terminated for a cancel.
 */
const COOPERATIVE = new Set(['sim']);
/**
 * How long a thread beyond the first stays after its last task. piscina's default, 0, ended the second
 * thread whenever it fell idle for a moment, so the next burst of runs waited for a new thread to load
 * every task module (hundreds of ms under load) while a run queued for it sat still. Idle threads are
 * unref'd: they do not keep a CLI process alive.
 */
const IDLE_MS = 60_000;
/** Requests per thread up to which a runMany call counts as small (ordered-task-queue.ts classOf). */
const SMALL_PER_THREAD = 2;
/** Bytes of a control word: Int32 permille done, Int32 cancel flag. */
const CONTROL_BYTES = 8;

export interface PoolOptions<Req = unknown> {
  signal?: AbortSignal;
  /** Called with (0, total) once, then after each finished task (done counts up to total). */
  onProgress?: (done: number, total: number) => void;
  /**
   * ArrayBuffers (and MessagePorts) of a request to move to the worker instead of copying (a 16 MB upload cost the
   * calling thread 120 ms to clone). They are unusable here afterwards; never list a buffer that
   * other values share (Node's small Buffers share one pool slab).
   */
  transfer?: (req: Req) => Array<ArrayBuffer | MessagePort>;
}

type Pool = Piscina<WorkerMessage, unknown>;
type PoolKind = 'sim' | 'service';
const pools = new Map<PoolKind, Pool>();

/**
 * Path of the compiled worker. Worker threads cannot load TypeScript, so when this module runs
 * from source (vitest: import.meta.url ends in .ts) we point at the build output instead.
 */
export function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  let file: string;
  if (here.endsWith('.ts')) {
    file = compiledPath('core', 'sim', 'worker.js');
  } else {
    file = join(dirname(here), 'worker.js');
  }
  if (!existsSync(file)) {
    throw new Error(`pool: compiled worker ${file} is missing; run \`npm run build:core\` first`);
  }
  return file;
}

/** Pools being destroyed (see getPool's error listener). */
const dying = new WeakSet<object>();

function getPool(kind: PoolKind): Pool {
  const have = pools.get(kind);
  if (have) return have;
  const threads = Math.max(1, availableParallelism());
  // the service pool keeps no thread while idle: most of its work is seconds apart
  const p: Pool = new Piscina<WorkerMessage, unknown>({ filename: workerFile(), maxThreads: threads, minThreads: kind === 'sim' ? 1 : 0, idleTimeout: IDLE_MS, taskQueue: new OrderedTaskQueue() });
  // A cancelled simulation ends at its next check, not at once: destroyed meanwhile (a host shutting
  // down right after a cancel), its worker's late "cancelled" reply reaches a pool that has dropped
  // the task, and piscina emits that as an 'error' event, uncaught. Expected then; not otherwise.
  p.on('error', (e: unknown) => {
    if (!dying.has(p)) throw e;
  });
  pools.set(kind, p);
  return p;
}

function abortError(reason: unknown): Error {
  const e = new Error('runMany: aborted', { cause: reason });
  e.name = 'AbortError';
  return e;
}

/**
 * Runs `task` once per request on the pool; resolves with results in request order.
 * The first failure rejects and cancels the remaining tasks; aborting `signal` rejects with an
 * Error named "AbortError" (queued tasks are dropped, running ones are terminated by piscina, or for
 * COOPERATIVE tasks stop at their next check: 0.1 % of a simulation's simulated time).
 */
export async function runMany<Req, Res>(task: string, reqs: Req[], opts: PoolOptions<Req> = {}): Promise<Res[]> {
  const { signal, onProgress } = opts;
  if (signal?.aborted) throw abortError(signal.reason);
  const total = reqs.length;
  onProgress?.(0, total);
  if (total === 0) return [];
  const p = getPool(isBulkTask(task) ? 'sim' : 'service');

  // Internal controller: aborted by the caller's signal or by our own first failure.
  const ctl = new AbortController();
  // piscina adds one abort listener per queued task to this signal: that is expected, not a leak
  setMaxListeners(total + 10, ctl.signal);
  const onAbort = (): void => ctl.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  let done = 0;
  // a few requests (up to two per thread: a cell's run, a sweep's batch) queue ahead of a large job's
  const small = total <= SMALL_PER_THREAD * Math.max(1, availableParallelism());
  // cooperative tasks: a control word per request, set to cancel it (queued or running)
  const cooperative = COOPERATIVE.has(task);
  const controls = cooperative ? reqs.map((r) => controlOf(r)) : [];
  if (cooperative) ctl.signal.addEventListener('abort', () => controls.forEach((c) => Atomics.store(c, 1, 1)), { once: true });
  try {
    const runs = reqs.map((req, i) =>
      p.run(
        { task, req: cooperative ? { ...req, progress: (controls[i] as Int32Array).buffer } : req, small },
        { ...(cooperative ? {} : { signal: ctl.signal }), ...(opts.transfer ? { transferList: opts.transfer(req) } : {}) },
      ).then((res) => {
        done++;
        onProgress?.(done, total);
        return res as Res;
      }),
    );
    try {
      return await Promise.all(runs);
    } catch (e) {
      ctl.abort(e);
      // Let the rest settle so no rejection goes unobserved and no task outlives this call.
      await Promise.allSettled(runs);
      if (signal?.aborted) throw abortError(signal.reason);
      throw e;
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/** The request's control word if it brought one of 8 bytes, else a new one (its progress is unread). */
function controlOf(req: unknown): Int32Array {
  const given = (req as { progress?: unknown } | null)?.progress;
  if (given instanceof SharedArrayBuffer && given.byteLength >= CONTROL_BYTES) return new Int32Array(given, 0, 2);
  return new Int32Array(new SharedArrayBuffer(CONTROL_BYTES));
}

/**
 * runMany for requests that mark their own progress: each gets a shared word (`req.progress`, e.g.
 * RunRequest) that its task sets to the permille done, and `onPartial` gets the tasks done as a
 * fraction (2.45 = two done, the rest 45 % along between them) every `everyMs` and once at the end.
 * Without onPartial it is plain runMany.
 */
export async function runManyWatched<Req extends { progress?: SharedArrayBuffer }, Res>(
  task: string,
  reqs: Req[],
  opts: PoolOptions<Req> & { everyMs: number; onPartial?: (tasksDone: number) => void },
): Promise<Res[]> {
  const { everyMs, onPartial, ...rest } = opts;
  if (onPartial === undefined) return runMany<Req, Res>(task, reqs, rest);
  const words = reqs.map(() => new Int32Array(new SharedArrayBuffer(CONTROL_BYTES), 0, 1));
  const watched = reqs.map((r, i) => ({ ...r, progress: (words[i] as Int32Array).buffer as SharedArrayBuffer }));
  const read = (): void => onPartial(words.reduce((s, w) => s + Atomics.load(w, 0), 0) / 1000);
  const timer = setInterval(read, everyMs);
  try {
    const out = await runMany<Req, Res>(task, watched, rest);
    read();
    return out;
  } finally {
    clearInterval(timer);
  }
}

/** Terminates the worker threads of both pools (a later runMany creates fresh ones). */
export async function destroyPool(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  for (const p of all) dying.add(p);
  await Promise.all(all.map((p) => p.destroy()));
}
