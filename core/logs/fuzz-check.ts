import fc from 'fast-check';
import { inputArb, runOne, type FuzzTarget } from './fuzz-props.js';

/** The vitest side of fuzz-props: `runs` inputs for one parser, failing with the input shown. */
export function fuzzParser(target: FuzzTarget, runs: number, seed: number): void {
  let parsed = 0;
  fc.assert(
    fc.property(inputArb(target), (text) => {
      const o = runOne(target, text);
      if (o.parsed) parsed++;
      if (!o.ok) throw new Error(`${target}: ${o.problem ?? ''}\ninput: ${JSON.stringify(text.slice(0, 2000))}`);
    }),
    { numRuns: runs, seed },
  );
  // The inputs must exercise the parser, not just its error path. (No vitest import: this file is
  // also compiled into out/.)
  if (!(parsed > runs / 20)) throw new Error(`${target}: only ${parsed} of ${runs} inputs parsed; the generators no longer reach the parser`);
}
