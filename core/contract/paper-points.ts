/**
 * The paper's measurements placed on a flush-every-k sweep. Pure and dependency-free (the paper's
 * numbers are passed in from core/reference), like csv.ts: the notebook's sweep chart and the PDF
 * report's sweep figure both draw these points.
 */
import type { PaperTables } from '../reference/paper.js';

/**
 * The paper's measurements on a flush-every-k sweep: the paper's DA is its LRO flushing every second
 * poll instead of every poll, so on an LRO or DA sweep of `flush_every_polls` the paper's LRO sits at
 * k = 1 and its DA at k = 2 (the model's presets differ by exactly that switch). Null when the sweep
 * or the metric has no such counterpart; points the paper did not publish are left out.
 */
export function paperFlushPoints(paper: PaperTables, system: string, workload: string, xKey: string, y: string): { x: number[]; y: number[]; text: string[] } | null {
  if (xKey !== 'flush_every_polls' || (system !== 'LRO' && system !== 'DA')) return null;
  const pick = (s: 'LRO' | 'DA'): number | null | undefined => {
    if (workload === 'rr') return y === 'rr_transactions_per_s' ? paper.rrTransactionsPerS[s] : undefined;
    if (y === 'throughput_mbps') return paper.throughputMbps[s];
    if (y === 'lro_rate') return paper.lroRate[s];
    const part = /^cycles_per_byte\.(driver|guest|total)$/.exec(y)?.[1] as 'driver' | 'guest' | 'total' | undefined;
    return part ? paper.cyclesPerByte[part][s] : undefined;
  };
  const out = { x: [] as number[], y: [] as number[], text: [] as string[] };
  for (const [k, s] of [[1, 'LRO'], [2, 'DA']] as const) {
    const v = pick(s);
    if (typeof v !== 'number') continue;
    out.x.push(k);
    out.y.push(v);
    out.text.push(`paper ${s} (k = ${k})`);
  }
  return out.x.length ? out : null;
}
