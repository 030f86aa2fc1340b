import fc from 'fast-check';
import { gzipCorruptArb, inputArb, runGzip, runOne, type FuzzTarget } from './fuzz-props.js';

/**
 * `npm run fuzz` (node out/core/logs/fuzz.js [RUNS] [TARGET…]): ≥ 100,000 generated and mutated
 * inputs per parser. Exits 1 on the first input that crashes, hangs over 1 s, or fails without
 * FILE:LINE, printing it so it can be added to a test.
 */
const TARGETS: FuzzTarget[] = ['netperf', 'oprofile', 'oprofile-xml', 'perf', 'iperf3', 'flent', 'detect'];

export function runFuzz(runs: number, targets: FuzzTarget[], log: (s: string) => void): boolean {
  let ok = true;
  for (const target of targets) {
    const t0 = performance.now();
    let parsed = 0;
    let worst = 0;
    const seed = Date.now() & 0x7fffffff;
    const res = fc.check(
      fc.property(inputArb(target), (text) => {
        const o = runOne(target, text);
        if (o.parsed) parsed++;
        if (o.ms > worst) worst = o.ms;
        if (!o.ok) throw new Error(`${o.problem ?? ''}\ninput: ${JSON.stringify(text.slice(0, 4000))}`);
      }),
      { numRuns: runs, seed },
    );
    const secs = (performance.now() - t0) / 1000;
    if (res.failed) {
      ok = false;
      log(`${target}: FAILED after ${res.numRuns} inputs (seed ${seed}): ${res.errorInstance instanceof Error ? res.errorInstance.message : String(res.errorInstance)}`);
    } else {
      log(`${target}: ${res.numRuns.toLocaleString('en-US')} inputs ok (${parsed.toLocaleString('en-US')} parsed, rest rejected with FILE:LINE), slowest ${worst.toFixed(1)} ms, ${secs.toFixed(1)} s, seed ${seed}`);
    }
  }
  if (targets.includes('flent')) {
    const res = fc.check(fc.property(gzipCorruptArb(), (b) => {
      const o = runGzip(b);
      if (!o.ok) throw new Error(o.problem);
    }), { numRuns: Math.max(1000, Math.floor(runs / 10)) });
    if (res.failed) {
      ok = false;
      log(`flent gzip corruption: FAILED: ${String(res.errorInstance)}`);
    } else log(`flent gzip corruption: ${res.numRuns.toLocaleString('en-US')} inputs ok`);
  }
  return ok;
}

if (process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const runs = Number(process.argv[2] ?? process.env['RXLAB_FUZZ_RUNS'] ?? 100_000);
  const picked = process.argv.slice(3).filter((t): t is FuzzTarget => (TARGETS as string[]).includes(t));
  const ok = runFuzz(runs, picked.length > 0 ? picked : TARGETS, (s) => console.log(s));
  process.exitCode = ok ? 0 : 1;
}
