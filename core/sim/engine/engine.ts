import { EventQueue, GEN_LIMIT } from './event-queue.js';
import { Rng } from './rng.js';

/**
 * Event handler: one function for the whole model, dispatching on `kind` with a switch.
 * Why one handler and no per-event closures: the call site in run() stays monomorphic and
 * nothing is allocated per event (closures measured 2–3× slower, model-notes §8).
 */
export type Handler = (kind: number, a: number, b: number) => void;

function noHandler(): void {
  throw new Error('Engine: no handler set (call setHandler before run)');
}

/** Discrete-event engine: simulated clock, pending-event heap, seeded RNG. */
export class Engine {
  /** Simulated time in seconds. */
  now = 0;
  /** Events handled (cancelled events are not counted). */
  eventsProcessed = 0;
  readonly rng: Rng;
  private readonly q: EventQueue;
  private handler: Handler = noHandler;
  private stopped = false;
  private running = false;

  constructor(seed: number, initialCapacity = 1024) {
    this.rng = new Rng(seed);
    this.q = new EventQueue(initialCapacity);
  }

  setHandler(h: Handler): void {
    this.handler = h;
  }

  /** Schedules an event at absolute time `time` (>= now); returns its id for cancel(). */
  at(time: number, kind: number, a = 0, b = 0): number {
    // `!(time >= now)` also rejects NaN, which would silently corrupt heap order.
    if (!(time >= this.now)) {
      throw new RangeError(`Engine.at: time ${time} is before now (${this.now}) or not a number`);
    }
    return this.q.stage(time, kind, a, b);
  }

  /** Schedules an event `delay` (>= 0) seconds from now. */
  after(delay: number, kind: number, a = 0, b = 0): number {
    if (!(delay >= 0)) throw new RangeError(`Engine.after: delay ${delay} is negative or not a number`);
    return this.q.stage(this.now + delay, kind, a, b);
  }

  /** Lazily cancels a pending event; unknown or already-fired ids are ignored. */
  cancel(id: number): void {
    this.q.cancel(id);
  }

  /**
   * Processes events with time <= until in (time, insertion) order. Afterwards now = until,
   * unless stop() was called, in which case now stays at the time of the last handled event
   * and a later run() continues from there. run(Infinity) runs until the queue is empty and
   * leaves now at the last event's time.
   */
  run(until: number): void {
    if (Number.isNaN(until)) throw new RangeError('Engine.run: until is NaN');
    if (until < this.now) throw new RangeError(`Engine.run: until ${until} is before now (${this.now})`);
    if (this.running) throw new Error('Engine.run: called from inside a handler');
    this.running = true;
    try {
      this.loop(until);
    } finally {
      this.running = false;
    }
  }

  private loop(until: number): void {
    const q = this.q;
    this.stopped = false;
    // The loop body is EventQueue.pop() inlined by hand (keep the two in sync; event-queue.test.ts
    // and engine.test.ts check both against the same ordering model): the payload goes straight into
    // locals instead of through result fields, and the handler call stays monomorphic.
    for (;;) {
      // Events scheduled by the previous handler (or before run) enter the heap here.
      if (q.staged > 0) q.flush();
      if (q.size === 0) break;
      // Re-read the arrays every iteration: the handler may grow (reallocate) them.
      const h = q.h;
      const t0 = h[0] as number;
      if (t0 > until) break;
      const slot = h[2] as number;
      const kind = q.sKind[slot] as number;
      const a = q.sA[slot] as number;
      const b = q.sB[slot] as number;
      const cancelled = q.sCancelled[slot] === 1;
      if (cancelled) {
        q.sCancelled[slot] = 0;
        q.cancelledCount--;
      }
      const g = (q.sGen[slot] as number) + 1;
      q.sGen[slot] = g >= GEN_LIMIT ? 1 : g;
      q.free[q.freeTop++] = slot;
      const n = --q.size;
      if (n > 0) {
        const t = h[3 * n] as number;
        const s = h[3 * n + 1] as number;
        const sl = h[3 * n + 2] as number;
        let i = 0;
        const half = n >> 1;
        while (i < half) {
          let c = 2 * i + 1;
          let ct = h[3 * c] as number;
          const r = c + 1;
          if (r < n) {
            const rt = h[3 * r] as number;
            if (rt < ct || (rt === ct && (h[3 * r + 1] as number) < (h[3 * c + 1] as number))) {
              c = r;
              ct = rt;
            }
          }
          if (t < ct || (t === ct && s < (h[3 * c + 1] as number))) break;
          h[3 * i] = ct;
          h[3 * i + 1] = h[3 * c + 1] as number;
          h[3 * i + 2] = h[3 * c + 2] as number;
          i = c;
        }
        h[3 * i] = t;
        h[3 * i + 1] = s;
        h[3 * i + 2] = sl;
      }
      if (cancelled) continue;
      this.now = t0;
      // Counted before the call so a handler reading eventsProcessed sees itself included.
      this.eventsProcessed++;
      this.handler(kind, a, b);
      if (this.stopped) return;
    }
    // run(Infinity) drains the queue; keeping now at the last event (not Infinity) lets the
    // caller read the end time and schedule more.
    if (until !== Infinity) this.now = until;
  }

  /** Ends the current run() after the event being handled. */
  stop(): void {
    this.stopped = true;
  }

  /** Live pending events (cancelled ones excluded). */
  pending(): number {
    return this.q.length;
  }
}
