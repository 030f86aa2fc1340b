import fc from 'fast-check';
import { gzipCorruptArb, inputArb, runGzip, runOne, type FuzzTarget } from './fuzz-props.js';
import { compareSplit } from './netperf/split-check.js';

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

/**
 * The two-thread netperf import (netperf/split-parse.ts) against one thread on `runs` inputs, each
 * cut at a random place: any difference fails. A file per input, so a tenth of the parser runs.
 */
export async function runSplitFuzz(runs: number, log: (s: string) => void): Promise<boolean> {
  const t0 = performance.now();
  const seed = Date.now() & 0x7fffffff;
  let joined = 0;
  const res = await fc.check(
    fc.asyncProperty(fc.array(inputArb('netperf'), { minLength: 1, maxLength: 4 }), fc.double({ min: 0, max: 1, noNaN: true }), async (parts, cut) => {
      const text = parts.join('\n');
      if (text.length === 0) return;
      const r = await compareSplit(text, cut);
      if (r.joined) joined++;
      if (r.problem !== null) throw new Error(`${r.problem} (cut at ${cut})\ninput: ${JSON.stringify(text.slice(0, 4000))}`);
    }),
    { numRuns: runs, seed },
  );
  if (res.failed) {
    log(`netperf split: FAILED after ${res.numRuns} inputs (seed ${seed}): ${res.errorInstance instanceof Error ? res.errorInstance.message : String(res.errorInstance)}`);
    return false;
  }
  log(`netperf split: ${res.numRuns.toLocaleString('en-US')} inputs give the one-thread result (${joined.toLocaleString('en-US')} joined), ${((performance.now() - t0) / 1000).toFixed(1)} s, seed ${seed}`);
  return true;
}

if (process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const runs = Number(process.argv[2] ?? process.env['RXLAB_FUZZ_RUNS'] ?? 100_000);
  const picked = process.argv.slice(3).filter((t): t is FuzzTarget => (TARGETS as string[]).includes(t));
  const targets = picked.length > 0 ? picked : TARGETS;
  let ok = runFuzz(runs, targets, (s) => console.log(s));
  if (targets.includes('netperf')) ok = (await runSplitFuzz(Math.max(100, Math.floor(runs / 10)), (s) => console.log(s))) && ok;
  process.exitCode = ok ? 0 : 1;
}
