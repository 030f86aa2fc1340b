import type { PaperTables } from '../../../core/contract/index.js';
import { ROLE_COLORS } from '../../../core/contract/chart-colors.js';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { welchDifference } from '../../../core/contract/welch.js';
import { deltaPct, type Interval } from './stats.js';
import { isCycleEvent, type MeasuredValues, type DocLike } from './measured.js';
import { SYSTEMS, type CompareRow, type CompareTable, type ProfileCompare, type SimGroup } from './notebook.js';

type Sys = (typeof SYSTEMS)[number];

function row(system: string, label: string, paper: number | null | undefined, sim: Interval | null | undefined, measured: Interval | null): CompareRow {
  const p = paper ?? null;
  const s = sim ?? null;
  const simVsMeasured = s && measured ? welchDifference(s, measured, tQuantile) : null;
  return { system, label, paper: p, sim: s, measured, dSim: deltaPct(s?.mean, p), dMeasured: deltaPct(measured?.mean, p), simVsMeasured };
}

/** The latest group for a system and workload (later cells win). */
export function findGroup(groups: readonly SimGroup[], system: string, workload: string): SimGroup | undefined {
  for (let i = groups.length - 1; i >= 0; i--) {
    const g = groups[i];
    if (g && g.system === system && g.workload === workload) return g;
  }
  return undefined;
}

/**
 * The reproduction's tolerance for a table's cells, as `rxlab reproduce` judges them
 * (core/sim/compare-tables.ts; renderer/ may not import core values, so compare.test.ts checks
 * that the two agree): ±3 %, LRO rates ±5 %.
 */
export function tolerancePct(tableId: CompareTable['id']): number {
  return tableId === 'VI' ? 5 : 3;
}

/**
 * Tables IV–VII: paper, simulated (mean ± 95 % CI), measured, deltas %. `measured` holds the measured
 * values per testbed system (each Import cell says which configuration its logs were measured on).
 */
export function buildTables(paper: PaperTables, groups: readonly SimGroup[], measured: Partial<Record<string, MeasuredValues>>): CompareTable[] {
  const m = (s: Sys, pick: (v: MeasuredValues) => Interval | null | undefined): Interval | null => {
    const v = measured[s];
    return v ? (pick(v) ?? null) : null;
  };
  const metric = (s: Sys, workload: string, key: string): Interval | undefined => findGroup(groups, s, workload)?.metrics[key];
  const iv: CompareTable = {
    id: 'IV',
    title: 'Table IV — TCP_STREAM throughput',
    unit: 'Mbit/s',
    rows: SYSTEMS.map((s) => row(s, s, paper.throughputMbps[s], metric(s, 'stream', 'throughput_mbps'), m(s, (v) => v.throughputMbps))),
  };
  const v: CompareTable = { id: 'V', title: 'Table V — CPU cycles per transferred byte', unit: 'cycles/B', rows: [] };
  for (const s of SYSTEMS) {
    for (const d of ['driver', 'guest', 'total'] as const) {
      const p = paper.cyclesPerByte[d][s];
      const sim = metric(s, 'stream', `cycles_per_byte.${d}`);
      if (p === null && !sim && d !== 'total') continue;
      v.rows.push(row(s, `${s} · ${d}`, p, sim, m(s, (v) => v.cyclesPerByte[d])));
    }
  }
  const vi: CompareTable = {
    id: 'VI',
    title: 'Table VI — LRO rate',
    unit: 'packets/aggregate',
    rows: SYSTEMS.filter((s) => paper.lroRate[s] !== undefined || metric(s, 'stream', 'lro_rate')).map((s) =>
      row(s, s, paper.lroRate[s], metric(s, 'stream', 'lro_rate'), null),
    ),
  };
  const vii: CompareTable = {
    id: 'VII',
    title: 'Table VII — TCP_RR transactions per second',
    unit: 'transactions/s',
    rows: SYSTEMS.map((s) => row(s, s, paper.rrTransactionsPerS[s], metric(s, 'rr', 'rr_transactions_per_s'), m(s, (v) => v.rrPerS))),
  };
  return [iv, v, vi, vii];
}

/**
 * An interval's half-width as a chart's error bar, or null for none: one seed or one measured run has
 * no interval, and a missing value none either (a 0 would draw, and export, a spread of zero).
 */
export function errorBar(i: Interval | null | undefined): number | null {
  return i && i.n >= 2 && typeof i.halfWidth === 'number' && Number.isFinite(i.halfWidth) ? i.halfWidth : null;
}

/**
 * An error_y array for Plotly: NaN where a point has no interval. Plotly reads null as 0 and draws a
 * flat ±0 whisker, which says "no spread" where the spread is unknown; NaN it skips (and the data CSV
 * leaves the cell empty).
 */
export function errorArray(bars: readonly (number | null | undefined)[]): number[] {
  return bars.map((b) => (typeof b === 'number' && Number.isFinite(b) ? b : NaN));
}

/**
 * The Compare cell's bar chart of one table: paper, simulated and (when a row has one) measured, the
 * simulated and measured bars with their 95 % intervals as error bars where there are intervals, so
 * the chart and its data CSV (exports.ts chartDataRows) show what the table does.
 */
export function compareChart(t: CompareTable): { data: Record<string, unknown>[]; layout: Record<string, unknown> } {
  const x = t.rows.map((r) => r.label);
  const bars = (name: string, pick: (r: CompareRow) => Interval | null | undefined, color: string): Record<string, unknown> => ({
    type: 'bar',
    name,
    x,
    y: t.rows.map((r) => pick(r)?.mean ?? null),
    error_y: { type: 'data', array: errorArray(t.rows.map((r) => errorBar(pick(r)))), visible: true },
    marker: { color },
  });
  const data: Record<string, unknown>[] = [
    { type: 'bar', name: 'Paper', x, y: t.rows.map((r) => r.paper), marker: { color: ROLE_COLORS.Paper } },
    bars('Simulated', (r) => r.sim, ROLE_COLORS.Simulated),
  ];
  if (t.rows.some((r) => r.measured)) data.push(bars('Measured', (r) => r.measured, ROLE_COLORS.Measured));
  return { data, layout: { barmode: 'group', title: { text: t.title }, yaxis: { title: { text: t.unit } } } };
}

/** The simulator names domains dom0 / guest / xen; opreport rows are driver / guest / hypervisor. */
export function tableDomain(d: string): string {
  if (d === 'dom0') return 'driver';
  if (d === 'xen') return 'hypervisor';
  if (d.startsWith('guest')) return 'guest';
  return d;
}

/**
 * What the measured shares of a profile comparison count. notebook.ts's ProfileCompare has no field
 * for it yet, so buildProfile adds these two beside it (saved with the output; absent in older ones).
 */
export interface MeasuredProfileEvent {
  /** The event whose samples the measured column shares are of (null: the profile names none). */
  measuredEvent?: string | null;
  /** Whether that event counts CPU cycles, by the rule Table V uses (measured.ts isCycleEvent). */
  measuredCycles?: boolean;
}

/** The measured event of a profile comparison, or undefined for an output saved before it was recorded. */
export function profileEvent(p: ProfileCompare): { name: string | null; cycles: boolean } | undefined {
  const e = p as ProfileCompare & MeasuredProfileEvent;
  return e.measuredCycles === undefined ? undefined : { name: e.measuredEvent ?? null, cycles: e.measuredCycles };
}

/** How the profile comparison's caption and measured column name what the measured shares count. */
export function profileWhat(ev: { name: string | null; cycles: boolean } | undefined): {
  samples: string;
  measured: string;
  caption: (by: 'domain' | 'function') => string;
} {
  const measured = `Measured: share of ${ev?.name ? `${ev.name} samples` : 'samples'}`;
  if (ev?.cycles) return { samples: `${ev.name} samples`, measured, caption: (by) => `Share of cycles by ${by} (%), measured as ${ev.name} samples` };
  if (ev) {
    const samples = ev.name === null ? 'samples of an event the profile does not name' : `${ev.name} samples`;
    return { samples, measured, caption: (by) => `Share by ${by} (%): measured ${samples}, not cycles; simulated cycles` };
  }
  return { samples: 'samples', measured, caption: (by) => `Share by ${by} (%)` };
}

/**
 * Per-domain and per-function comparison of an imported opreport with the simulated cycles_by_function.
 * The measured column is the profile's cycles event when it counted one (as Table V takes it), else
 * its first column, and says which event that is.
 */
export function buildProfile(doc: DocLike, fileName: string, group: SimGroup | undefined): (ProfileCompare & MeasuredProfileEvent) | null {
  const p = doc.profiles?.[0];
  if (!p) return null;
  const events = p.events ?? [];
  // column i counts event i; with one event (opreport -t) the columns are its threads and column 0 is taken
  const cyclesAt = events.findIndex((e) => isCycleEvent(e.name));
  const col = Math.max(0, cyclesAt);
  const measuredEvent = events[col]?.name ?? null;
  const totals = p.domain_totals ?? [];
  const all = totals.reduce((a, t) => a + (t.samples[col] ?? 0), 0);
  const simByDomain = new Map<string, number>();
  let simAll = 0;
  for (const f of group?.functions ?? []) {
    simByDomain.set(tableDomain(f.domain), (simByDomain.get(tableDomain(f.domain)) ?? 0) + f.share);
    simAll += f.share;
  }
  const domainNames = [...new Set([...totals.map((t) => tableDomain(t.domain)), ...simByDomain.keys()])];
  const domains = domainNames.map((d) => {
    const ms = totals.filter((t) => tableDomain(t.domain) === d).reduce((a, t) => a + (t.samples[col] ?? 0), 0);
    const ss = simByDomain.get(d);
    return { domain: d, measuredPct: all > 0 ? (ms / all) * 100 : null, simulatedPct: ss !== undefined && simAll > 0 ? (ss / simAll) * 100 : null };
  });
  const simFn = new Map<string, { domain: string; pct: number }>();
  for (const f of group?.functions ?? []) simFn.set(f.function, { domain: tableDomain(f.domain), pct: simAll > 0 ? (f.share / simAll) * 100 : 0 });
  // perf report's Children column is inclusive (cpu_startup_entry 82.61 % with 0.42 % of its own, the
  // shares summing far past 100): a function's own cycles are its Self column, which perf's
  // domain totals also add up; the rows are then ranked by it (perf lists them by Children)
  const selfAt = (p.columns ?? []).indexOf('Self');
  const pctAt = selfAt >= 0 ? selfAt : col;
  const top = (p.rows ?? []).filter((r) => r.depth === 0);
  if (selfAt >= 0) top.sort((a, b) => (b.percent[pctAt] ?? 0) - (a.percent[pctAt] ?? 0));
  const rows = top.slice(0, 15);
  const functions: ProfileCompare['functions'] = rows.map((r) => {
    const name = r.symbol ?? r.image ?? '?';
    const sim = simFn.get(name);
    if (sim) simFn.delete(name);
    return { name, domain: r.domain, measuredPct: r.percent[pctAt] ?? null, simulatedPct: sim?.pct ?? null };
  });
  const restSim = [...simFn.entries()].sort((a, b) => b[1].pct - a[1].pct).slice(0, 10);
  for (const [name, s] of restSim) functions.push({ name, domain: s.domain, measuredPct: null, simulatedPct: s.pct });
  return { simSystem: group?.system ?? '—', measuredFile: fileName, domains, functions, measuredEvent, measuredCycles: cyclesAt >= 0 };
}

