import fc from 'fast-check';
import { expect } from 'vitest';
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
  // The inputs must exercise the parser, not just its error path.
  expect(parsed).toBeGreaterThan(runs / 20);
}
