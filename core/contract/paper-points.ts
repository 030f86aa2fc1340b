/**
 * The paper's measurements placed on charts: per system and metric, and on a flush-every-k sweep.
 * Pure and dependency-free (the paper's numbers are passed in from core/reference), like csv.ts: the
 * notebook's Sweep and Plot charts and the PDF report's figures all draw these points.
 */
import type { PaperTables } from '../reference/paper.js';

type Sys = keyof PaperTables['throughputMbps'];

/** The paper's value of a simulator metric for a system and workload, or null where it published none. */
export function paperValue(paper: PaperTables, system: string, workload: string, metric: string): number | null {
  if (!Object.hasOwn(paper.throughputMbps, system)) return null;
  const s = system as Sys;
  let v: number | null | undefined;
  if (workload === 'rr') v = metric === 'rr_transactions_per_s' ? paper.rrTransactionsPerS[s] : undefined;
  else if (metric === 'throughput_mbps') v = paper.throughputMbps[s];
  else if (metric === 'lro_rate') v = paper.lroRate[s];
  else {
    const part = /^cycles_per_byte\.(driver|guest|total)$/.exec(metric)?.[1] as 'driver' | 'guest' | 'total' | undefined;
    v = part ? paper.cyclesPerByte[part][s] : undefined;
  }
  return typeof v === 'number' ? v : null;
}

/**
 * The paper's measurements on a flush-every-k sweep: the paper's DA is its LRO flushing every second
 * poll instead of every poll, so on an LRO or DA sweep of `flush_every_polls` the paper's LRO sits at
 * k = 1 and its DA at k = 2 (the model's presets differ by exactly that switch). Null when the sweep
 * or the metric has no such counterpart; points the paper did not publish are left out.
 */
export function paperFlushPoints(paper: PaperTables, system: string, workload: string, xKey: string, y: string): { x: number[]; y: number[]; text: string[] } | null {
  if (xKey !== 'flush_every_polls' || (system !== 'LRO' && system !== 'DA')) return null;
  const out = { x: [] as number[], y: [] as number[], text: [] as string[] };
  for (const [k, s] of [[1, 'LRO'], [2, 'DA']] as const) {
    const v = paperValue(paper, s, workload, y);
    if (v === null) continue;
    out.x.push(k);
    out.y.push(v);
    out.text.push(`paper ${s} (k = ${k})`);
  }
  return out.x.length ? out : null;
}
