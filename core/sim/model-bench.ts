/**
 * Receive-path model speed for `npm run bench`: simulated seconds per wall second and events per
 * second, per system (TCP_STREAM), best of two runs after a warm-up run (JIT excluded).
 */
import { runSimulation } from './run.js';
import { SYSTEM_NAMES } from './types.js';

export interface ModelBenchResult {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

export async function benchModel(): Promise<ModelBenchResult[]> {
  const out: ModelBenchResult[] = [];
  runSimulation({ system: 'LRO', seed: 99, set: { duration_s: 0.1 } });
  for (const system of SYSTEM_NAMES) {
    let bestS = Infinity;
    let events = 0;
    let simulated = 0;
    for (let rep = 0; rep < 2; rep++) {
      const t0 = performance.now();
      const r = runSimulation({ system, seed: rep + 1 });
      const s = (performance.now() - t0) / 1000;
      if (s < bestS) {
        bestS = s;
        events = r.events;
        simulated = r.simulated_s + r.parameters.warmup_s;
      }
    }
    const note = `TCP_STREAM, ${simulated.toFixed(2)} s simulated incl. warm-up, ${events} events, best of 2`;
    out.push({ name: `model ${system}: simulated time per wall time`, value: Number((simulated / bestS).toFixed(3)), unit: 's/s', note });
    out.push({ name: `model ${system}: events per second`, value: Math.round(events / bestS), unit: 'events/s', note });
    await Promise.resolve();
  }
  // the cost of watching: DA traced every 0.1 ms (1,800 readings) against the same run untraced
  const time = (set: Record<string, number>): number => {
    let best = Infinity;
    for (let rep = 0; rep < 3; rep++) {
      const t0 = performance.now();
      runSimulation({ system: 'DA', seed: 1, set });
      best = Math.min(best, performance.now() - t0);
    }
    return best;
  };
  const plain = time({});
  const traced = time({ trace_ms: 0.1 });
  out.push({ name: 'model DA traced every 0.1 ms: time over the untraced run', value: Number((traced / plain).toFixed(3)), unit: '×', note: `${traced.toFixed(1)} ms against ${plain.toFixed(1)} ms, best of 3` });
  return out;
}
