import { describe, expect, it } from 'vitest';
import { importBytesSync } from '../import.js';
import type { Profile } from '../types.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const CAP_WARNING = (line: number, max: number): string => `line ${line}: more than ${max} rows; later rows are counted in domain_totals but not kept`;
const PERCENT_WARNING = 'perf prints percentages, not sample counts: domain_totals for perf hold Σ percent (Self/Overhead)';

const FLAT_HEAD = `# Samples: 1M of event 'cycles'
# Event count (approx.): 1000000
#
# Overhead  Command       Shared Object        Symbol
# ........  ............  ...................  .........................................
#
`;

describe('perf report past the row cap', () => {
  it('domain_totals add up every row, kept or not, and the cap is reported once (default cap)', () => {
    // /tmp/review-import/in/perf-60k.txt: 50,000 rows at 0.0010 % and 10,000 at 0.0050 %: 100 %.
    const rows: string[] = [];
    for (let i = 0; i < 50_000; i++) rows.push(`     0.0010%  app           libfoo.so            [.] f${i}`);
    for (let i = 0; i < 10_000; i++) rows.push(`     0.0050%  app           libbar.so            [.] g${i}`);
    const { doc } = importBytesSync('perf-60k.txt', enc(FLAT_HEAD + rows.join('\n') + '\n'));
    const p = doc.profiles[0] as Profile;
    expect(p.rows).toHaveLength(50_000);
    expect(p.row_count).toBe(60_000);
    expect(p.domain_totals).toHaveLength(1);
    expect(p.domain_totals[0]?.domain).toBe('native');
    expect(p.domain_totals[0]?.samples[0]).toBeCloseTo(100, 6);
    // Row 50,001 is on line 50,007 (six header lines).
    expect(doc.warnings).toEqual([CAP_WARNING(50_007, 50_000), PERCENT_WARNING]);
  });

  it('with Children and Self the Self column is summed over all rows; each event section warns on its own', () => {
    const section = (event: string, selfs: number[]): string =>
      `# Samples: 8K of event '${event}'
# Event count (approx.): 8895026685
#
# Children      Self  Shared Object        Symbol
# ........  ........  ...................  ..............................................
#
` + selfs.map((s, i) => `    90.00%     ${s.toFixed(2).padStart(5)}%  [kernel.kallsyms]    [k] f${i}\n81.41% f${i};start_secondary\n`).join('');
    const text = section('cycles', [40, 30, 20, 10]) + section('instructions', [60, 25, 15]);
    const { doc } = importBytesSync('perf-cs.txt', enc(text), { maxRows: 2 });
    expect(doc.profiles.map((p) => [p.columns, p.rows.length, p.row_count, p.domain_totals])).toEqual([
      [['Children', 'Self'], 2, 4, [{ domain: 'native', samples: [100] }]],
      [['Children', 'Self'], 2, 3, [{ domain: 'native', samples: [100] }]],
    ]);
    // Row 3 of the first section is line 11; of the second, line 6 + 8 + 6 + 4 + 1 = 25.
    expect(doc.warnings).toEqual([CAP_WARNING(11, 2), CAP_WARNING(25, 2), PERCENT_WARNING]);
  });

  it('under the cap nothing changes: the sum of the kept rows, no cap warning', () => {
    const text = FLAT_HEAD + ['    12.50%  app           libfoo.so            [.] a', '     7.25%  app           libfoo.so            [.] b'].join('\n') + '\n';
    const { doc } = importBytesSync('small.txt', enc(text));
    expect(doc.profiles[0]?.domain_totals).toEqual([{ domain: 'native', samples: [12.5 + 7.25] }]);
    expect(doc.warnings).toEqual([PERCENT_WARNING]);
  });
});
