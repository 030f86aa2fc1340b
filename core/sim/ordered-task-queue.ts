/**
 * The worker pool's queue of tasks waiting for a thread: always hands out the oldest task of the most
 * urgent class, whatever order piscina pushes and unshifts them in.
 *
 * Why: piscina's own queue puts a task it could not place back at the tail (or, with stricterFIFO, a
 * new task at the head), so with both threads busy the runs of two jobs rotated through the queue:
 * job A's runs finished after job B's although A asked first, and 20 jobs' runs interleaved until the
 * first waited 13 s for its second run. Ordering by piscina's task id (given at submission) keeps
 * "first asked, first run". The class puts a few runs ahead of a job that queued hundreds (see
 * classOf), and short interactive work (store reads, table sums, imports) ahead of simulations on any
 * pool they share (pool.ts gives that work a pool of its own, so it need not wait for a running one).
 *
 * Only tasks without an abort signal are sure to pass through here (piscina keeps an abortable task
 * it could not place in a separate skip queue): that is why simulations are cancelled cooperatively
 * (a shared word the run checks) rather than by signal.
 */
import type { TaskQueue } from 'piscina';

type Task = Parameters<TaskQueue['push']>[0];

/** What piscina's TaskInfo carries that the order needs (its `task` is the message runMany posted). */
interface QueuedTask {
  readonly taskId: number;
  readonly task?: unknown;
}

/** Task names that are bulk work: they wait behind every other kind (and run on their own pool: pool.ts). */
const BULK = new Set(['sim', 'mm1']);

export function isBulkTask(name: string): boolean {
  return BULK.has(name);
}

/**
 * 0: short work of another kind; 1: simulations of a small request (a Simulation cell's run, a
 * sweep's batch of a few); 2: simulations of a large one (a reproduction's, a sensitivity's or a
 * calibration's hundreds at once). In strict order a single run waited behind a whole reproduction
 * (6.5 s against 2.2 s before the ordered queue); runs of one class still go in the order asked.
 */
function classOf(t: QueuedTask): number {
  const msg = t.task as { task?: unknown; small?: unknown } | undefined;
  if (typeof msg?.task !== 'string' || !BULK.has(msg.task)) return 0;
  return msg.small === true ? 1 : 2;
}

/** A binary heap on (class, taskId). */
export class OrderedTaskQueue implements TaskQueue {
  private readonly heap: QueuedTask[] = [];

  get size(): number {
    return this.heap.length;
  }

  push(task: Task): void {
    this.heap.push(task as unknown as QueuedTask);
    this.up(this.heap.length - 1);
  }

  /** piscina unshifts a task it took and could not place: by its key it goes back where it was. */
  unshift(task: Task): void {
    this.push(task);
  }

  shift(): Task | null {
    const h = this.heap;
    if (h.length === 0) return null;
    const top = h[0] as QueuedTask;
    const last = h.pop() as QueuedTask;
    if (h.length > 0) {
      h[0] = last;
      this.down(0);
    }
    return top as unknown as Task;
  }

  /**
   * An abortable task aborted while it waited (rare: linear search, then repair the heap). piscina
   * calls this also for a task held in its skip queue, not here: then there is nothing to do.
   */
  remove(task: Task): void {
    const h = this.heap;
    const i = h.indexOf(task as unknown as QueuedTask);
    if (i === -1) return;
    const last = h.pop() as QueuedTask;
    if (i < h.length) {
      h[i] = last;
      this.down(i);
      this.up(i);
    }
  }

  private before(a: QueuedTask, b: QueuedTask): boolean {
    const ca = classOf(a);
    const cb = classOf(b);
    return ca !== cb ? ca < cb : a.taskId < b.taskId;
  }

  private up(i: number): void {
    const h = this.heap;
    const x = h[i] as QueuedTask;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = h[parent] as QueuedTask;
      if (!this.before(x, p)) break;
      h[i] = p;
      i = parent;
    }
    h[i] = x;
  }

  private down(i: number): void {
    const h = this.heap;
    const n = h.length;
    const x = h[i] as QueuedTask;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      const r = c + 1;
      if (r < n && this.before(h[r] as QueuedTask, h[c] as QueuedTask)) c = r;
      if (!this.before(h[c] as QueuedTask, x)) break;
      h[i] = h[c] as QueuedTask;
      i = c;
    }
    h[i] = x;
  }
}
