/**
 * Simulated Tables IV–VII and their cell-by-cell comparison with a target (the paper's tables, or a
 * user's own measurements). Tolerances: ±3 % per cell, ±5 % for LRO rates.
 */
import type { SystemName } from './types.js';
import { SYSTEM_NAMES } from './types.js';

/** Same shape as core/reference/paper.ts PaperTables, every entry optional. */
export interface TargetTables {
  throughputMbps: Partial<Record<SystemName, number>>;
  cyclesPerByte: {
    driver: Partial<Record<SystemName, number | null>>;
    guest: Partial<Record<SystemName, number | null>>;
    total: Partial<Record<SystemName, number | null>>;
  };
  lroRate: Partial<Record<SystemName, number>>;
  rrTransactionsPerS: Partial<Record<SystemName, number>>;
}

/** Seed-averaged simulated metrics of one system. */
export interface SimRow {
  throughput_mbps: number;
  driver: number | null;
  guest: number | null;
  /** null when nothing was delivered (no bytes to divide by). */
  total: number | null;
  lro_rate: number | null;
  rr_transactions_per_s: number | null;
}

export type SimTable = Partial<Record<SystemName, SimRow>>;

export type Metric = 'throughput_mbps' | 'driver' | 'guest' | 'total' | 'lro_rate' | 'rr_transactions_per_s';

export interface Cell {
  table: 'IV' | 'V' | 'VI' | 'VII';
  system: SystemName;
  metric: Metric;
  paper: number;
  simulated: number | null;
  error_pct: number | null;
  tolerance_pct: number;
  within_tolerance: boolean;
}

export const CELL_TOLERANCE_PCT = 3;
export const LRO_RATE_TOLERANCE_PCT = 5;

/** Target cells in table order, with null targets (Linux driver/guest) left out. */
export function targetCells(t: Partial<TargetTables>): Array<Omit<Cell, 'simulated' | 'error_pct' | 'within_tolerance'>> {
  const out: Array<Omit<Cell, 'simulated' | 'error_pct' | 'within_tolerance'>> = [];
  for (const s of SYSTEM_NAMES) {
    const v = t.throughputMbps?.[s];
    if (typeof v === 'number') out.push({ table: 'IV', system: s, metric: 'throughput_mbps', paper: v, tolerance_pct: CELL_TOLERANCE_PCT });
  }
  for (const m of ['driver', 'guest', 'total'] as const) {
    for (const s of SYSTEM_NAMES) {
      const v = t.cyclesPerByte?.[m]?.[s];
      if (typeof v === 'number') out.push({ table: 'V', system: s, metric: m, paper: v, tolerance_pct: CELL_TOLERANCE_PCT });
    }
  }
  for (const s of SYSTEM_NAMES) {
    const v = t.lroRate?.[s];
    if (typeof v === 'number') out.push({ table: 'VI', system: s, metric: 'lro_rate', paper: v, tolerance_pct: LRO_RATE_TOLERANCE_PCT });
  }
  for (const s of SYSTEM_NAMES) {
    const v = t.rrTransactionsPerS?.[s];
    if (typeof v === 'number') out.push({ table: 'VII', system: s, metric: 'rr_transactions_per_s', paper: v, tolerance_pct: CELL_TOLERANCE_PCT });
  }
  return out;
}

export function compareCells(t: Partial<TargetTables>, sim: SimTable): Cell[] {
  return targetCells(t).map((c) => {
    const row = sim[c.system];
    const v = row === undefined ? null : row[c.metric];
    const err = v === null ? null : ((v - c.paper) / c.paper) * 100;
    return { ...c, simulated: v, error_pct: err, within_tolerance: err !== null && Math.abs(err) <= c.tolerance_pct };
  });
}

function mean(xs: number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return xs.length > 0 ? s / xs.length : NaN;
}

/** Averages per-seed rows of one system. */
export function meanRow(rows: SimRow[]): SimRow {
  const pick = (f: (r: SimRow) => number | null): number | null => {
    const xs = rows.map(f).filter((x): x is number => x !== null);
    return xs.length === 0 ? null : mean(xs);
  };
  return {
    throughput_mbps: mean(rows.map((r) => r.throughput_mbps)),
    driver: pick((r) => r.driver),
    guest: pick((r) => r.guest),
    total: pick((r) => r.total),
    lro_rate: pick((r) => r.lro_rate),
    rr_transactions_per_s: pick((r) => r.rr_transactions_per_s),
  };
}
