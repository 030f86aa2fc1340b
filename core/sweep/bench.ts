/**
 * `npm run bench` (sweeps): a sweep of flush_every_polls 1…8 × 5 seeds (LRO, default durations) on
 * the worker pool into a fresh database — cold (all 40 points simulated) and again warm (all from the
 * store). Target: cold ≤ 60 s on the 2-core build machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../store/db.js';
import { realBackend } from './backend.js';
import { runSweep } from './engine.js';
import type { SweepSpec } from './types.js';

export async function benchSweep(): Promise<Array<{ name: string; value: number; unit: string; note?: string }>> {
  const dir = mkdtempSync(join(tmpdir(), 'rxlab-bench-sweep-'));
  const db = openStore(join(dir, 'bench.db'));
  try {
    const backend = realBackend();
    const spec: SweepSpec = {
      system: 'LRO',
      workload: 'stream',
      set: { flush_policy: 'every-k' },
      vary: [{ key: 'flush_every_polls', values: [1, 2, 3, 4, 5, 6, 7, 8] }],
      seeds: 5,
    };
    // Pool start-up is not part of the sweep: warm the threads with one throw-away run.
    await backend.run([{ system: 'LRO', set: { duration_s: 0.01, warmup_s: 0 }, seed: 999, workload: 'stream' }], {});
    const t0 = performance.now();
    const cold = await runSweep(db, backend, spec);
    const coldS = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const warm = await runSweep(db, backend, spec);
    const warmMs = performance.now() - t1;
    const thr = cold.points.map((p) => p.metrics['throughput_mbps']?.mean ?? Number.NaN);
    return [
      {
        name: 'sweep flush_every_polls 1..8 × 5 seeds (cold)',
        value: coldS,
        unit: 's',
        note: `${cold.simulated} runs on ${backend.concurrency()} threads, target ≤ 60 s; throughput k=1 ${thr[0]?.toFixed(0)} → k=8 ${thr[7]?.toFixed(0)} Mb/s`,
      },
      { name: 'sweep runs per second (cold)', value: cold.simulated / coldS, unit: 'runs/s' },
      { name: 'same sweep again (all 40 from the store)', value: warmMs, unit: 'ms', note: `${warm.simulated} simulated, ${warm.cachedRuns} cached` },
    ];
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
