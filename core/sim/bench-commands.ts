import { parseArgs } from 'node:util';
import type { CliIO, CommandSpec } from '../cli-types.js';
import { bench } from './bench.js';
import { runMm1 } from './mm1.js';

const USAGE = `rxlab bench mm1 --customers N [--seed S] [--warmup W] [--json]
rxlab bench engine [--json]

  mm1      M/M/1 queue (λ=0.9, μ=1) for N customers on the simulation engine, timed after an
           untimed warm-up run of W customers (default 200000, another seed) so V8 has optimised
           the engine, as a JIT benchmark should; --warmup 0 times a cold run.
           Prints wall time of the simulation and the mean wait in queue
           (theory 9.0). With --json: {"customers":N,"wall_s":…,"mean_wait":…} on one line.
           Compare with SimPy and C: bench/compare-mm1.sh
  engine   engine events/s (hold model at 16 / 1000 / 100000 pending events) and M/M/1 1M
           customers, best of 3 after warm-up (takes ~10 s).

  --customers N   number of customers, 1 … 100000000
  --seed S        RNG seed, a whole number (default 1)
  --warmup W      customers in the untimed warm-up run (default 200000; 0 = cold)
  --json          machine-readable output`;

/** Parses a whole number flag; returns an error message instead of throwing. */
function wholeNumber(name: string, v: string, min: number, max: number): number | string {
  if (!/^-?\d+$/.test(v)) return `--${name}: expected a whole number, got "${v}"`;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min || n > max) return `--${name}: must be between ${min} and ${max}, got ${v}`;
  return n;
}

function usageError(io: CliIO, msg: string): number {
  io.err(`rxlab bench: ${msg}\n${USAGE}\n`);
  return 2;
}

async function runBench(args: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'mm1' && sub !== 'engine') {
    return usageError(io, sub === undefined ? 'which benchmark? (mm1 or engine)' : `unknown benchmark "${sub}"`);
  }
  let values: { customers?: string; seed?: string; warmup?: string; json?: boolean };
  try {
    values = parseArgs({
      args: rest,
      options: sub === 'mm1'
        ? { customers: { type: 'string' }, seed: { type: 'string' }, warmup: { type: 'string' }, json: { type: 'boolean' } }
        : { json: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    return usageError(io, e instanceof Error ? e.message : String(e));
  }

  if (sub === 'engine') {
    const results = await bench();
    if (values.json) io.out(`${JSON.stringify(results)}\n`);
    else for (const r of results) io.out(`${r.name}: ${r.value} ${r.unit}${r.note ? `  (${r.note})` : ''}\n`);
    return 0;
  }

  if (values.customers === undefined) return usageError(io, '--customers N is required');
  const customers = wholeNumber('customers', values.customers, 1, 100_000_000);
  if (typeof customers === 'string') return usageError(io, customers);
  const seed = values.seed === undefined ? 1 : wholeNumber('seed', values.seed, -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  if (typeof seed === 'string') return usageError(io, seed);

  const warmup = values.warmup === undefined ? 200_000 : wholeNumber('warmup', values.warmup, 0, 100_000_000);
  if (typeof warmup === 'string') return usageError(io, warmup);
  // Untimed, on another seed: lets V8 compile the engine loop before the measured run.
  if (warmup > 0) runMm1({ customers: warmup, seed: seed + 1_000_003 });
  const r = runMm1({ customers, seed });
  if (values.json) {
    io.out(`${JSON.stringify({ customers: r.customers, wall_s: r.wall_s, mean_wait: r.mean_wait })}\n`);
  } else {
    const evps = r.events / r.wall_s;
    io.out(
      `mm1: ${r.customers} customers in ${r.wall_s.toFixed(3)} s (${(evps / 1e6).toFixed(1)} M events/s), ` +
        `mean wait ${r.mean_wait.toFixed(3)} (theory 9.000 for λ=0.9, μ=1)\n`,
    );
  }
  return 0;
}

export const benchCommands: CommandSpec[] = [
  {
    name: 'bench',
    summary: 'Benchmark the simulation engine (M/M/1 vs SimPy/C, hold-model events/s)',
    usage: USAGE,
    run: runBench,
  },
];
