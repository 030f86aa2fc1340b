/**
 * Engine micro-benchmarks for `npm run bench` (bench/run.js) and `rxlab bench engine`.
 * Numbers are wall-clock on whatever else the machine is doing; each figure is the best of a
 * few repetitions after a warm-up, so JIT compilation is not counted (the CLI `bench mm1`
 * reports a cold single run instead).
 */
import { loadavg } from 'node:os';
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

/** Events per second of the hold model with `pending` events in the heap (wall and CPU based). */
export function holdRates(pending: number, events: number, reps = 3): { wall: number; cpu: number } {
  let wall = 0;
  let cpu = 0;
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
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    eng.run(Infinity);
    const s = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    if (r === 0) continue; // JIT warm-up
    wall = Math.max(wall, events / s);
    cpu = Math.max(cpu, events / ((c.user + c.system) / 1e6));
  }
  return { wall, cpu };
}

/** Wall-clock events per second of the hold model (see holdRates). */
export function holdEventsPerSecond(pending: number, events: number, reps = 3): number {
  return holdRates(pending, events, reps).wall;
}

function loadNote(): string {
  return `load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`;
}

export async function bench(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  // M/M/1 first: Engine.loop's handler call site is shared by every model run in this process,
  // and the figure compared with SimPy and C should not pay for the hold model's handlers.
  runMm1({ customers: 100_000, seed: 99 }); // JIT warm-up
  let best = { wall_s: Infinity, events: 0 };
  let bestCpu = Infinity;
  for (let i = 0; i < 3; i++) {
    const c0 = process.cpuUsage();
    const r = runMm1({ customers: 1_000_000, seed: 1 });
    const c = process.cpuUsage(c0);
    if (r.wall_s < best.wall_s) best = r;
    bestCpu = Math.min(bestCpu, (c.user + c.system) / 1e6);
  }
  out.push({
    name: 'mm1 1M customers wall',
    value: best.wall_s,
    unit: 's',
    note: `λ=0.9 μ=1, best of 3 after warm-up; CPU ${bestCpu.toFixed(3)} s; ${loadNote()}`,
  });
  out.push({ name: 'mm1 1M customers', value: Math.round(best.events / best.wall_s), unit: 'events/s' });
  for (const [pending, events] of [
    [16, 2_000_000],
    [1000, 2_000_000],
    [100_000, 1_000_000],
  ] as const) {
    const r = holdRates(pending, events);
    out.push({
      name: `engine hold model, ${pending} pending`,
      value: Math.round(r.wall),
      unit: 'events/s',
      note:
        `best of 3 after warm-up (engine loop already used by M/M/1: polymorphic handler call), ${events} events, Exp(1) increments; ` +
        `${(r.cpu / 1e6).toFixed(2)} M events per CPU-second; ${loadNote()}`,
    });
    // Yield so a caller's progress output or abort handling can run between cases.
    await new Promise((res) => setImmediate(res));
  }
  return out;
}
