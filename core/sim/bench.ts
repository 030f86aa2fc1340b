/**
 * Engine micro-benchmarks for `npm run bench` (bench/run.js) and `rxlab bench engine`.
 * Numbers are wall-clock on whatever else the machine is doing; each figure is the best of a
 * few repetitions after a warm-up, so JIT compilation is not counted (the CLI `bench mm1`
 * reports a cold single run instead).
 */
import { Engine } from './engine/engine.js';
import { runMm1 } from './mm1.js';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

/** Hold model: `pending` events always queued; each event reschedules itself at now + Exp(1). */
class HoldModel {
  constructor(private readonly eng: Engine) {}
  onEvent(kind: number): void {
    this.eng.after(this.eng.rng.exp(1), kind);
  }
}

/** Events per second of the hold model with `pending` events in the heap. */
export function holdEventsPerSecond(pending: number, events: number, reps = 3): number {
  let best = 0;
  for (let r = 0; r < reps + 1; r++) {
    const eng = new Engine(r + 1, pending);
    const m = new HoldModel(eng);
    for (let i = 0; i < pending; i++) eng.at(eng.rng.exp(1), 0);
    // Warm the heap to its steady-state shape before timing.
    const warm = Math.min(events, pending * 2);
    let target = warm;
    eng.setHandler((kind) => {
      m.onEvent(kind);
      if (eng.eventsProcessed >= target) eng.stop();
    });
    eng.run(Infinity);
    target = warm + events;
    const t0 = performance.now();
    eng.run(Infinity);
    const s = (performance.now() - t0) / 1000;
    if (r > 0) best = Math.max(best, events / s); // rep 0 is JIT warm-up
  }
  return best;
}

export async function bench(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  for (const [pending, events] of [
    [16, 2_000_000],
    [1000, 2_000_000],
    [100_000, 1_000_000],
  ] as const) {
    out.push({
      name: `engine hold model, ${pending} pending`,
      value: Math.round(holdEventsPerSecond(pending, events)),
      unit: 'events/s',
      note: `best of 3 after warm-up, ${events} events, exponential(1) increments`,
    });
    // Yield so a caller's progress output or abort handling can run between cases.
    await new Promise((r) => setImmediate(r));
  }
  runMm1({ customers: 100_000, seed: 99 }); // JIT warm-up
  let best = { wall_s: Infinity, events: 0 };
  for (let i = 0; i < 3; i++) {
    const r = runMm1({ customers: 1_000_000, seed: 1 });
    if (r.wall_s < best.wall_s) best = r;
  }
  out.push({ name: 'mm1 1M customers wall', value: best.wall_s, unit: 's', note: 'λ=0.9 μ=1, best of 3 after warm-up' });
  out.push({ name: 'mm1 1M customers', value: Math.round(best.events / best.wall_s), unit: 'events/s' });
  return out;
}
