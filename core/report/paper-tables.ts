import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import type { StoredRun } from '../contract/index.js';
import { signedPct, welchDifference } from '../contract/welch.js';
import { PAPER, SYSTEMS, type SystemName } from '../reference/paper.js';
import { intervalText, summarize, type Summary } from './stats.js';
import { CELL_TOLERANCE_PCT, LRO_RATE_TOLERANCE_PCT } from '../sim/compare-tables.js';
import type { TableData, TableValue } from './types.js';
import { toMbps } from '../contract/units.js';
import { fmtNum } from './escape.js';

/**
 * Tables IV–VII with paper, simulated and measured values and their deltas to the paper. Paper numbers
 * come only from core/reference/paper.ts. Simulated and measured values are read from run metrics by name,
 * so a run that lacks a metric simply leaves its cell empty.
 */

export interface MetricRow {
  label: string;
  system: SystemName;
  metric: string;
  paper: number | null;
}

export interface PaperTableDef {
  id: string;
  title: string;
  unit: string;
  rows: MetricRow[];
}

function rowsFor(metric: string, paper: Partial<Record<SystemName, number | null>>, suffix = ''): MetricRow[] {
  return SYSTEMS.map((s) => ({ label: `${s}${suffix}`, system: s, metric, paper: paper[s] ?? null }));
}

export const PAPER_TABLES: PaperTableDef[] = [
  { id: 'table-iv', title: 'Table IV: TCP_STREAM throughput', unit: 'Mbit/s', rows: rowsFor('throughput_mbps', PAPER.throughputMbps) },
  {
    id: 'table-v',
    title: 'Table V: CPU cycles per transferred byte',
    unit: 'cycles/byte',
    rows: SYSTEMS.flatMap((s) =>
      (['driver', 'guest', 'total'] as const).map((part) => ({
        label: `${s} ${part}`,
        system: s,
        metric: `cycles_per_byte.${part}`,
        paper: PAPER.cyclesPerByte[part][s] ?? null,
      })),
    ),
  },
  { id: 'table-vi', title: 'Table VI: LRO rate (packets per aggregate)', unit: 'packets', rows: rowsFor('lro_rate', PAPER.lroRate) },
  { id: 'table-vii', title: 'Table VII: TCP_RR transactions per second', unit: 'transactions/s', rows: rowsFor('rr_transactions_per_s', PAPER.rrTransactionsPerS) },
];

/** A measured run's value for a simulator metric name; netperf records carry `throughput` + units instead. */
export function measuredValue(run: StoredRun, metric: string): number | null {
  const direct = run.metrics[metric];
  if (typeof direct === 'number') return direct;
  const detail = (run.detail ?? {}) as Record<string, unknown>;
  if (metric === 'throughput_mbps' && typeof run.metrics['throughput'] === 'number') {
    // the units the notebook and the measured tables read them in (netperf's MBytes/sec among them)
    const units = typeof detail['throughput_units'] === 'string' ? detail['throughput_units'] : '10^6bits/sec';
    return toMbps(run.metrics['throughput'], units);
  }
  if (metric === 'rr_transactions_per_s') {
    const t = run.metrics['transactions_per_s'];
    return typeof t === 'number' ? t : null;
  }
  return null;
}

export function simulatedValue(run: StoredRun, metric: string): number | null {
  const v = run.metrics[metric];
  return typeof v === 'number' ? v : null;
}

export interface ComparisonInput {
  simulated: StoredRun[];
  /** Measured runs with the system each stands for. */
  measured: { run: StoredRun; system: string }[];
  /** Show measured columns even when nothing measured is there (Compare cells). */
  alwaysMeasured?: boolean;
  /**
   * Measured values computed elsewhere (the Compare cell's own arithmetic over imported netperf + opreport
   * logs, e.g. measured cycles/byte), keyed by measuredKey(metric, system). They win over run metrics.
   */
  measuredOverride?: Map<string, Summary>;
}

export function measuredKey(metric: string, system: string): string {
  return `${metric}|${system}`;
}

export interface ComparisonValues {
  def: PaperTableDef;
  sim: (Summary | null)[];
  meas: (Summary | null)[];
}

/**
 * Table VII comes from TCP_RR runs, everything else from TCP_STREAM runs: a Simulation cell with
 * workload "both" stores both kinds for each system, and an RR run's cycles/byte (over a few bytes)
 * or throughput must never be averaged into Tables IV–VI.
 */
function isRrMetric(metric: string): boolean {
  return metric === 'rr_transactions_per_s';
}
function simulatedMatches(run: StoredRun, metric: string): boolean {
  if (run.workload === null) return true;
  return isRrMetric(metric) ? run.workload === 'rr' : run.workload === 'stream';
}
/**
 * As the backend's measured tables count them (core/logs/measured/tables.ts): Tables IV–VI from
 * netperf TCP_STREAM and one-way iperf3 TCP runs, Table VII from TCP_RR runs; a run without a test
 * (a profile) only with Table V's cycles. A UDP_STREAM, SCTP_STREAM, MAERTS, reverse or --bidir run
 * measures something else and is not averaged in.
 */
function measuredMatches(run: StoredRun, metric: string): boolean {
  if (run.workload === null) return metric.startsWith('cycles_per_byte');
  if (isRrMetric(metric)) return run.workload === 'TCP_RR';
  return run.workload === 'TCP_STREAM' || run.workload === 'iperf3 TCP';
}

/** The runs behind a figure of `metric` by system: those its simulated and measured values average. */
export function runsBehind(input: ComparisonInput, metric: string): number[] {
  const systems = new Set<string>(PAPER_TABLES.flatMap((d) => d.rows.filter((r) => r.metric === metric).map((r) => r.system)));
  const sim = input.simulated.filter((x) => x.system !== null && systems.has(x.system) && simulatedMatches(x, metric) && simulatedValue(x, metric) !== null);
  const meas = input.measured.filter(
    (x) =>
      systems.has(x.system) &&
      measuredMatches(x.run, metric) &&
      // a value worked out by the Compare cell's arithmetic stands on the system's logs (netperf runs and profiles)
      (measuredValue(x.run, metric) !== null || input.measuredOverride?.has(measuredKey(metric, x.system)) === true),
  );
  return [...sim, ...meas.map((m) => m.run)].map((r) => r.id);
}

export function compareValues(input: ComparisonInput): ComparisonValues[] {
  return PAPER_TABLES.map((def) => ({
    def,
    sim: def.rows.map((r) =>
      summarize(
        input.simulated
          .filter((x) => x.system === r.system && simulatedMatches(x, r.metric))
          .map((x) => simulatedValue(x, r.metric))
          .filter((v): v is number => v !== null),
      ),
    ),
    meas: def.rows.map(
      (r) =>
        input.measuredOverride?.get(measuredKey(r.metric, r.system)) ??
        summarize(
          input.measured
            .filter((x) => x.system === r.system && measuredMatches(x.run, r.metric))
            .map((x) => measuredValue(x.run, r.metric))
            .filter((v): v is number => v !== null),
        ),
    ),
  }));
}

export function delta(v: number | null | undefined, paper: number | null): number | null {
  if (v === null || v === undefined || paper === null || paper === 0) return null;
  return ((v - paper) / paper) * 100;
}

/** The reproduction's tolerance of a paper table's cells, as `rxlab reproduce` and the app's Compare cell judge them. */
export function tolerancePct(def: PaperTableDef): number {
  return def.rows.some((r) => r.metric === 'lro_rate') ? LRO_RATE_TOLERANCE_PCT : CELL_TOLERANCE_PCT;
}

/**
 * One TableData per paper table; rows with nothing but an empty paper cell are dropped. Printed as the
 * app's Compare cell prints them: simulated and measured as "mean ± half-width" (to the interval's
 * precision), the errors against the paper coloured by the tolerance. The CSV/JSON export (`full`)
 * keeps mean, half-width and n as numbers in columns of their own.
 */
export function comparisonTables(input: ComparisonInput, idPrefix: string): TableData[] {
  return compareValues(input).map(({ def, sim, meas }) => {
    const anyMeas = input.alwaysMeasured || meas.some((m) => m !== null);
    const columns = ['System', `Paper (${def.unit})`, 'Simulated (± 95 % CI)', 'n', 'Δ sim vs paper (%)'];
    const fullColumns = ['System', `Paper (${def.unit})`, 'Simulated', '± 95 % CI', 'n', 'Δ sim vs paper (%)'];
    if (anyMeas) {
      columns.push('Measured', 'Δ measured vs paper (%)', 'Sim vs meas. (%)', 'Welch 95 % CI');
      fullColumns.push('Measured', 'Δ measured vs paper (%)', 'Sim vs meas. (%)', 'Welch 95 % CI');
    }
    const rows: TableValue[][] = [];
    const fullRows: TableValue[][] = [];
    def.rows.forEach((r, i) => {
      const s = sim[i] ?? null;
      const m = meas[i] ?? null;
      if (r.paper === null && !s && !m) return;
      // Seeds that agree to rounding leave float noise (3e-13) in the half-width: print it as 0.
      const hw = s && s.n > 1 ? (s.halfWidth <= Math.abs(s.mean) * 1e-9 ? 0 : s.halfWidth) : null;
      // one seed: no interval, and the n column says so (not "(n = 1)" twice)
      const simText = s ? (s.n > 1 ? intervalText(s) : fmtNum(s.mean)) : null;
      const row: TableValue[] = [r.label, r.paper, simText, s?.n ?? null, delta(s?.mean, r.paper)];
      const full: TableValue[] = [r.label, r.paper, s?.mean ?? null, hw, s?.n ?? null, delta(s?.mean, r.paper)];
      if (anyMeas) {
        // simulated against measured: the difference in % of measured, and its Welch interval when both sides have n ≥ 2
        const d = s && m ? welchDifference(s, m, tQuantile) : null;
        const rest: TableValue[] = [delta(m?.mean, r.paper), d?.pct ?? null, d && d.lo !== null && d.hi !== null ? `${signedPct(d.lo)} … ${signedPct(d.hi)}${d.differs ? ' (differs)' : ''}` : null];
        row.push(m ? intervalText(m) : null, ...rest);
        full.push(m?.mean ?? null, ...rest);
      }
      rows.push(row);
      fullRows.push(full);
    });
    const pct = tolerancePct(def);
    return {
      id: `${idPrefix}-${def.id}`,
      title: def.title,
      columns,
      rows,
      deltaColumns: anyMeas ? [4, 6, 7] : [4],
      // Sim vs meas. is no error against the paper: signed, not judged (the Welch column says whether it differs)
      tolerance: { columns: anyMeas ? [4, 6] : [4], pct },
      note: `Δ: error against the paper, within the reproduction's tolerance of ±${pct} % in green, within ±10 % in amber, beyond in red (as the app's Compare cell colours it).`,
      full: { columns: fullColumns, rows: fullRows },
    };
  });
}
