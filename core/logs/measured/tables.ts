import type { Domain, ImportDoc, LogRecord, Profile } from '../types.js';
import { toMbps } from '../numbers.js';
import { studentT95, type Interval } from '../../stats/interval.js';

/**
 * Measured Tables IV, V and VII from a user's own logs, with the arithmetic shown:
 *
 *   Table IV  throughput (Mbit/s)         = netperf TCP_STREAM throughput, converted from its units
 *   Table V   cycles/byte of a domain     = Σ samples(domain) × event count per sample ÷ bytes,
 *             bytes transferred           = throughput (bit/s) ÷ 8 × elapsed (s)
 *   Table VII transactions/s              = netperf TCP_RR transaction rate
 *
 * Repeated runs give the mean and a 95 % Student-t interval. The i-th TCP_STREAM run is paired with
 * the i-th opreport profile (the order they were given in), because oprofile ran during that run.
 */

export interface MeasuredOptions {
  /** Event used as the clock (cycles) column; default: the first event whose name looks like a clock. */
  clockEvent?: string;
  /** Label used in the arithmetic, e.g. "Xen" or "DA". */
  system?: string;
}

export interface Summary {
  values: number[];
  mean: number;
  /** 95 % Student-t interval; null for a single run (the spread is unknown). */
  interval: Interval | null;
}

export interface CyclesPerByteRun {
  run: number;
  source: string;
  bytes: number;
  /** cycles/byte per domain, plus "total" over every domain. */
  perDomain: Record<string, number>;
}

export interface MeasuredTables {
  system: string;
  tableIV: { throughputMbps: Summary | null };
  tableV: { runs: CyclesPerByteRun[]; perDomain: Record<string, Summary> };
  tableVII: { transactionsPerS: Summary | null };
  /** Every step of the arithmetic, in order, as the user should read it. */
  steps: string[];
  /** Per-run step lines left out of `steps` (the API keeps the first runs of each table: cap-steps.ts). */
  stepsOmitted?: number;
  warnings: string[];
}

const CLOCK = /CPU_CLK_UNHALTED|CPU_CLK|cycles|CYCLES|GLOBAL_POWER_EVENTS|clk_unhalted/i;

// One formatter each, made once: toLocaleString builds a new Intl formatter per call, and the
// arithmetic has a step line per run (1.7 s for 15k runs).
const INT_FMT = new Intl.NumberFormat('en-US');
const FRAC_FMT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 6 });

function fmt(n: number, digits = 4): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return INT_FMT.format(n);
  // Six fraction digits would print a tiny measured value (a short or non-clock profile) as 0.
  if (Math.abs(n) < 1e-3) return n.toExponential(digits - 1);
  return FRAC_FMT.format(Number(n.toPrecision(digits + 2)));
}

function summarise(values: number[]): Summary | null {
  if (values.length === 0) return null;
  const iv = studentT95(values);
  return { values, mean: iv.mean, interval: values.length >= 2 ? iv : null };
}

function describe(label: string, s: Summary | null, unit: string): string {
  if (s === null) return `${label}: no runs`;
  if (s.interval === null) return `${label}: ${fmt(s.mean)} ${unit} (1 run; no interval)`;
  return `${label}: mean ${fmt(s.mean)} ${unit}, 95% CI [${fmt(s.interval.lo)}, ${fmt(s.interval.hi)}] (n = ${s.interval.n}, sd = ${fmt(s.interval.sd)}, ±${fmt(s.interval.halfWidth)})`;
}

function runsOf(docs: ImportDoc[], test: string): LogRecord[] {
  const out: LogRecord[] = [];
  for (const d of docs) for (const r of d.records) if (r.test === test && r.error === undefined) out.push(r);
  return out;
}

function clockColumn(p: Profile, wanted: string | undefined): { col: number; name: string; count: number } | null {
  const names = p.columns.length > 0 ? p.columns : p.events.map((e) => e.name);
  let col = -1;
  if (wanted !== undefined) col = names.indexOf(wanted);
  if (col < 0) col = names.findIndex((n) => CLOCK.test(n));
  // -t thread columns all count the same (single) event.
  if (col < 0 && p.events.length === 1) col = 0;
  if (col < 0) return null;
  const name = names[col] ?? '';
  const ev = p.events.find((e) => e.name === name) ?? (p.events.length === 1 ? p.events[0] : undefined);
  if (ev === undefined || ev.count === null) return null;
  return { col, name: ev.name, count: ev.count };
}

/** Folds guestN into "guest" for the paper's driver/guest split, keeping the hypervisor apart. */
function tableDomain(d: Domain): string {
  return d.startsWith('guest') ? 'guest' : d;
}

export function measuredTables(inputs: { netperf: ImportDoc[]; oprofile: ImportDoc[] }, opts: MeasuredOptions = {}): MeasuredTables {
  const system = opts.system ?? 'measured';
  const steps: string[] = [];
  const warnings: string[] = [];

  // Table IV
  const streams = runsOf(inputs.netperf, 'TCP_STREAM');
  const mbps: number[] = [];
  streams.forEach((r, i) => {
    if (r.throughput === undefined) return;
    const v = toMbps(r.throughput, r.throughput_units);
    if (v === null) {
      warnings.push(`TCP_STREAM run ${i + 1} (line ${r.line}): unknown throughput units "${r.throughput_units ?? ''}"`);
      return;
    }
    mbps.push(v);
    steps.push(`Table IV run ${i + 1} (line ${r.line}): ${r.throughput_text ?? r.throughput} ${r.throughput_units ?? ''} = ${fmt(v)} Mbit/s`);
  });
  const tableIV = { throughputMbps: summarise(mbps) };
  steps.push(describe(`Table IV ${system} throughput`, tableIV.throughputMbps, 'Mbit/s'));

  // Table V
  // A differential profile (opreport -l { first } { second }) compares two runs: its samples mix
  // the second profile with the first one's count on "---" rows, and it belongs to no single
  // netperf run, so it is set aside before pairing instead of being turned into cycles/byte.
  const profiles: Profile[] = [];
  for (const p of inputs.oprofile.flatMap((d) => d.profiles)) {
    if (p.differential === true) {
      warnings.push(
        `profile at line ${p.line} is a differential opreport (two profiles compared, "diff %" columns): it is not the profile of one run, so Table V leaves it out; import the two profiles separately (opreport -l once per session) to measure cycles/byte`,
      );
    } else profiles.push(p);
  }
  const streamsWithBytes = streams.filter((r) => r.throughput !== undefined && r.elapsed_s !== undefined && toMbps(r.throughput, r.throughput_units) !== null);
  const pairs = Math.min(streamsWithBytes.length, profiles.length);
  if (streamsWithBytes.length !== profiles.length && profiles.length > 0) {
    warnings.push(`${streamsWithBytes.length} TCP_STREAM runs and ${profiles.length} profiles: pairing the first ${pairs} in order`);
  }
  const runs: CyclesPerByteRun[] = [];
  for (let i = 0; i < pairs; i++) {
    const r = streamsWithBytes[i] as LogRecord;
    const p = profiles[i] as Profile;
    const clock = clockColumn(p, opts.clockEvent);
    if (clock === null) {
      warnings.push(`profile ${i + 1} (line ${p.line}): no clock event with a "count N" (events: ${p.events.map((e) => e.name).join(', ') || 'none'})`);
      continue;
    }
    const mbit = toMbps(r.throughput ?? 0, r.throughput_units) ?? 0;
    const elapsed = r.elapsed_s ?? 0;
    const bytes = (mbit * 1e6 * elapsed) / 8;
    steps.push(`Table V run ${i + 1}: bytes = ${fmt(mbit)} Mbit/s × 10^6 ÷ 8 × ${r.elapsed_s} s = ${fmt(bytes)} B`);
    const cycles = new Map<string, { samples: number; cycles: number }>();
    for (const t of p.domain_totals) {
      const k = tableDomain(t.domain);
      const s = t.samples[clock.col] ?? 0;
      const acc = cycles.get(k) ?? { samples: 0, cycles: 0 };
      acc.samples += s;
      acc.cycles += s * clock.count;
      cycles.set(k, acc);
    }
    const perDomain: Record<string, number> = {};
    let totalSamples = 0;
    for (const [k, v] of [...cycles].sort()) {
      perDomain[k] = bytes > 0 ? v.cycles / bytes : NaN;
      totalSamples += v.samples;
      steps.push(`  ${k}: ${fmt(v.samples)} samples × ${fmt(clock.count)} ${clock.name} events/sample = ${fmt(v.cycles)} cycles ÷ ${fmt(bytes)} B = ${fmt(perDomain[k] ?? NaN)} cycles/B`);
    }
    const totalCycles = totalSamples * clock.count;
    perDomain['total'] = bytes > 0 ? totalCycles / bytes : NaN;
    steps.push(`  total: ${fmt(totalSamples)} samples × ${fmt(clock.count)} = ${fmt(totalCycles)} cycles ÷ ${fmt(bytes)} B = ${fmt(perDomain['total'] ?? NaN)} cycles/B`);
    runs.push({ run: i + 1, source: `TCP_STREAM line ${r.line} + profile line ${p.line}`, bytes, perDomain });
  }
  const domains = new Set(runs.flatMap((r) => Object.keys(r.perDomain)));
  const perDomainSummary: Record<string, Summary> = {};
  for (const d of [...domains].sort()) {
    const vals = runs.map((r) => r.perDomain[d]).filter((v): v is number => v !== undefined && Number.isFinite(v));
    const s = summarise(vals);
    if (s !== null) {
      perDomainSummary[d] = s;
      steps.push(describe(`Table V ${system} ${d} cycles/byte`, s, 'cycles/B'));
    }
  }

  // Table VII
  const rr = runsOf(inputs.netperf, 'TCP_RR');
  const tps: number[] = [];
  rr.forEach((r, i) => {
    const v = r.transactions_per_s;
    if (v === undefined) return;
    tps.push(v);
    steps.push(`Table VII run ${i + 1} (line ${r.line}): ${fmt(v)} transactions/s`);
  });
  const tableVII = { transactionsPerS: summarise(tps) };
  steps.push(describe(`Table VII ${system} TCP_RR`, tableVII.transactionsPerS, 'transactions/s'));

  return { system, tableIV, tableV: { runs, perDomain: perDomainSummary }, tableVII, steps, warnings };
}
