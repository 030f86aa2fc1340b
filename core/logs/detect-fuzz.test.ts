import { describe, it } from 'vitest';
import fc from 'fast-check';
import { gzipCorruptArb, gzipTextCorruptArb, inputArb, runGzip, runGzipped, runGzipText, runOne } from './fuzz-props.js';

describe('detection and gzip on generated and mutated input', () => {
  it('detection + whichever parser it picks', () => {
    fc.assert(
      fc.property(inputArb('detect'), (text) => {
        const o = runOne('detect', text);
        if (!o.ok) throw new Error(`${o.problem ?? ''}\ninput: ${JSON.stringify(text.slice(0, 2000))}`);
      }),
      { numRuns: 2_000, seed: 7 },
    );
  }, 60_000);
  it('corrupted .flent.gz bytes', () => {
    fc.assert(
      fc.property(gzipCorruptArb(), (b) => {
        const o = runGzip(b);
        if (!o.ok) throw new Error(o.problem);
      }),
      { numRuns: 2_000, seed: 8 },
    );
  }, 60_000);
  it('any input gzipped imports as it does plain (or is refused as plain is)', () => {
    fc.assert(
      fc.property(inputArb('detect'), (text) => {
        const o = runGzipped(text);
        if (!o.ok) throw new Error(`${o.problem ?? ''}\ninput: ${JSON.stringify(text.slice(0, 2000))}`);
      }),
      { numRuns: 1_000, seed: 9 },
    );
  }, 60_000);
  it('corrupted or cut gzip-compressed text logs', () => {
    fc.assert(
      fc.property(gzipTextCorruptArb(), (b) => {
        const o = runGzipText(b);
        if (!o.ok) throw new Error(o.problem);
      }),
      { numRuns: 2_000, seed: 10 },
    );
  }, 60_000);
});
