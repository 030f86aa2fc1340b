import type { Domain, ImportDoc, LogRecord, Profile } from '../types.js';
import { toMbps } from '../numbers.js';
import { studentT95, type Interval } from '../../stats/interval.js';

/**
 * Measured Tables IV, V and VII from a user's own logs, with the arithmetic shown:
 *
 *   Table IV  throughput (Mbit/s)         = netperf TCP_STREAM throughput, converted from its units
 *             (and iperf3 -J TCP runs: the receiver's bits/s)
 *   Table V   cycles/byte of a domain     = Σ samples(domain) × event count per sample ÷ bytes
 *                                           (perf report: Σ %(domain) × the profile's event count ÷ bytes),
 *             bytes transferred           = throughput (bit/s) ÷ 8 × elapsed (s),
 *             total                       = Σ domains except the hypervisor (driver + guest on Xen),
 *                                           as the paper's and the simulator's totals are; the
 *                                           hypervisor's cycles/byte are reported on their own
 *   Table VII transactions/s              = netperf TCP_RR transaction rate
 *
 * Repeated runs give the mean and a 95 % Student-t interval. Table V pairs the i-th TCP_STREAM run
 * with the i-th profile (opreport, or one perf report), in the order given, only when there are as
 * many runs as profiles (pairStreams says why). Cycles are samples × events per sample for
 * opreport, and for perf report, which prints percentages, the share × perf's event count
 * (perfClock).
 */

export interface MeasuredOptions {
  /** Event used as the clock (cycles) column; default: the first event whose name looks like a clock. */
  clockEvent?: string;
  /** Label used in the arithmetic, e.g. "Xen" or "DA". */
  system?: string;
  /**
   * The simulation's sizes. Where a cell's runs mix sizes, those of these sizes are used and the
   * others left out (said in the arithmetic); where none has them, all are used with a warning.
   */
  sizes?: { messageBytes?: number; rrRequestBytes?: number; rrResponseBytes?: number };
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
  /**
   * cycles/byte per domain (driver, guest, native), plus "total" over those: the hypervisor is not
   * in either (the paper's Table V total is driver + guest), it is `hypervisor` below.
   */
  perDomain: Record<string, number>;
  /** The hypervisor's cycles/byte (xen-syms samples), when the profile has any. */
  hypervisor?: number;
}

export interface MeasuredTables {
  system: string;
  tableIV: { throughputMbps: Summary | null };
  /** `hypervisor`: the runs' hypervisor cycles/byte, kept out of perDomain and its total. */
  tableV: { runs: CyclesPerByteRun[]; perDomain: Record<string, Summary>; hypervisor?: Summary };
  tableVII: { transactionsPerS: Summary | null };
  /** Every step of the arithmetic, in order, as the user should read it. */
  steps: string[];
  /** Per-run step lines left out of `steps` (the API keeps the first runs of each table: cap-steps.ts). */
  stepsOmitted?: number;
  warnings: string[];
}

/** A stored import document; `fileName`, when the caller knows it, names the file in the notes. */
export type NamedDoc = ImportDoc & { fileName?: string };

export interface MeasuredInputs {
  /** netperf documents (an iperf3 document given here is read as iperf3). */
  netperf: NamedDoc[];
  /** opreport / perf report documents, one profile per TCP_STREAM run. */
  oprofile: NamedDoc[];
  /** iperf3 -J documents: their TCP runs are Table IV (and Table V) stream runs. */
  iperf3?: NamedDoc[];
  /** flent documents: not used for the tables; each gets a note saying why. */
  flent?: NamedDoc[];
}

/** Documents sorted into the inputs by the tool that wrote them; other tools' documents are left out. */
export function inputsByTool(docs: readonly NamedDoc[]): MeasuredInputs {
  const inputs: Required<MeasuredInputs> = { netperf: [], oprofile: [], iperf3: [], flent: [] };
  for (const d of docs) {
    if (d.tool === 'netperf') inputs.netperf.push(d);
    else if (d.tool === 'oprofile' || d.tool === 'perf') inputs.oprofile.push(d);
    else if (d.tool === 'iperf3') inputs.iperf3.push(d);
    else if (d.tool === 'flent') inputs.flent.push(d);
  }
  return inputs;
}

/**
 * Events that count CPU cycles (or CPU time, perf's cpu-clock), so samples × count is cycles. Any
 * other event (BUS_IO_WAIT, INSTRUCTIONS, cache misses) counts something else: multiplied out it
 * would be a cycles/byte that means nothing. Stalled and bus cycles are cycles of something else too.
 */
const CYCLE_EVENT = /CPU_CLK_UNHALTED|CPU_CLK|cycles|GLOBAL_POWER_EVENTS|clk_unhalted|cpu-clock/i;
const NOT_CYCLES = /stalled|bus[-_]cycles/i;

export function isCycleEvent(name: string): boolean {
  return CYCLE_EVENT.test(name) && !NOT_CYCLES.test(name);
}

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

/** How many runs of each size one cell averages (in order of first appearance); null when they agree. */
function sizeMix(runs: readonly LogRecord[], size: (r: LogRecord) => string): string | null {
  const counts = new Map<string, number>();
  for (const r of runs) {
    const k = size(r);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  if (counts.size < 2) return null;
  return [...counts].map(([k, n]) => `${k} × ${INT_FMT.format(n)}`).join(', ');
}

const bytesText = (b: number | undefined): string => (b === undefined ? 'size not printed' : `${INT_FMT.format(b)} B`);
const streamSize = (r: LogRecord): string => bytesText(r.message_bytes);
const rrSize = (r: LogRecord): string =>
  r.request_bytes === undefined && r.response_bytes === undefined ? 'size not printed' : `${bytesText(r.request_bytes)} request / ${bytesText(r.response_bytes)} response`;

/** netperf -f letters and the units it prints for them (netperf manual, global option -f). */
const NETPERF_F_UNITS: Readonly<Record<string, string>> = { k: '10^3bits/s', m: '10^6bits/s', g: '10^9bits/s', K: 'KBytes/s', M: 'MBytes/s', G: 'GBytes/s' };

/** One stream run that can feed Table IV (and be paired with a profile for Table V). */
interface StreamRun {
  rec: LogRecord;
  /** Where it is, e.g. "line 3" or "iperf3 run.json line 90". */
  where: string;
  /** The file it is in, when the caller named it. */
  file?: string | undefined;
  /** null: units unknown, the run is left out with a warning. */
  mbps: number | null;
  units: string;
  /** Said after the value in the arithmetic, e.g. how the units were read. */
  note: string;
}

/**
 * netperf's throughput units for a record: as printed, or, on a -P 0 row (no header, so no units
 * line) or a -v 0 value, the -f of the command when the log shows it, else netperf's default
 * -f m (10^6bits/s): those rows are in the -f units, and netperf prints none of them.
 */
function netperfUnits(r: LogRecord): { units: string | undefined; note: string } {
  if (r.throughput_units !== undefined) return { units: r.throughput_units, note: '' };
  // A run read from a table under a banner had a units line: without units, its header's were
  // not read (imported before they were kept as printed), and guessing 10^6bits/s could be wrong.
  if (r.banner !== undefined && r.elapsed_s !== undefined) return { units: undefined, note: ' (a table row whose header units were not kept; import the log again to read them)' };
  const cmd = r.extra?.['command'];
  const f = typeof cmd === 'string' ? /(?:^|\s)-f\s*([A-Za-z])\b/.exec(cmd)?.[1] : undefined;
  if (f !== undefined) return { units: NETPERF_F_UNITS[f], note: ` (no units printed: a -P 0 or -v 0 row; -f ${f} in the command)` };
  return { units: '10^6bits/s', note: " (no units printed: a -P 0 or -v 0 row; read as netperf's default -f m, 10^6bits/s)" };
}

function streamRuns(docs: readonly NamedDoc[], warnings: string[]): StreamRun[] {
  const out: StreamRun[] = [];
  for (const d of docs) {
    if (d.tool === 'iperf3') {
      out.push(...iperf3Runs(d, warnings));
      continue;
    }
    const noValue: number[] = [];
    for (const r of d.records) {
      if (r.test !== 'TCP_STREAM' || r.error !== undefined) continue;
      if (r.throughput === undefined) {
        noValue.push(r.line);
        continue;
      }
      const u = netperfUnits(r);
      out.push({ rec: r, where: `line ${r.line}`, file: d.fileName, mbps: toMbps(r.throughput, u.units), units: u.units ?? r.throughput_units ?? '', note: u.note });
    }
    if (noValue.length > 0) warnings.push(noValueWarning(d, noValue, 'TCP_STREAM', 'throughput', 'Table IV'));
  }
  return out;
}

/**
 * Runs with no value for a table (a result row whose value was "-nan", negative or mistyped: the
 * import left it empty and said so), named in one warning per file rather than dropped unsaid.
 */
function noValueWarning(d: NamedDoc, lines: readonly number[], test: string, what: string, table: string): string {
  const shown = lines.slice(0, 5).join(', ') + (lines.length > 5 ? ', …' : '');
  return `netperf ${d.fileName ?? 'file'}: ${INT_FMT.format(lines.length)} ${test} run(s) without a ${what} (line${lines.length > 1 ? 's' : ''} ${shown}): left out of ${table}; the import's warnings say why`;
}

/**
 * iperf3 -J TCP runs, the client sending (as netperf TCP_STREAM): the receiver's rate, in bits/s.
 * Reverse (-R) runs are the server sending, like TCP_MAERTS, which Table IV leaves out too; --bidir
 * runs load both directions at once; UDP is not TCP throughput. Runs not used are counted in one
 * note per file.
 */
function iperf3Runs(d: NamedDoc, warnings: string[]): StreamRun[] {
  const out: StreamRun[] = [];
  const unused = new Map<string, number>();
  const skip = (why: string): void => {
    unused.set(why, (unused.get(why) ?? 0) + 1);
  };
  const file = d.fileName ?? 'file';
  for (const r of d.records) {
    if (r.error !== undefined || r.throughput === undefined) skip('failed or cut off');
    else if (r.test === 'iperf3 TCP') {
      const streams = r.extra?.['num_streams'];
      out.push({
        rec: r,
        where: `iperf3 ${file} line ${r.line}`,
        mbps: toMbps(r.throughput, r.throughput_units),
        units: r.throughput_units ?? '',
        note: ` (iperf3 TCP, the receiver's rate${typeof streams === 'number' && streams > 1 ? `, sum of ${streams} streams` : ''})`,
      });
    } else if (/ bidir/.test(r.test)) skip('--bidir (both directions at once, unlike one netperf TCP_STREAM)');
    else if (/ reverse$/.test(r.test)) skip('reverse (-R: the server sent, as netperf TCP_MAERTS, which Table IV leaves out)');
    else skip(`${r.test.replace(/^iperf3 /, '')} (Table IV is TCP throughput)`);
  }
  for (const [why, n] of unused) warnings.push(`iperf3 ${file}: ${INT_FMT.format(n)} run(s) not used for Tables IV–VII: ${why}`);
  return out;
}

/**
 * How a profile's per-domain totals become cycles. `col`: the domain_totals column read; `cycles`
 * turns a total into cycles; `text` shows that step as the user should check it (the part before
 * "= N cycles").
 */
interface Clock {
  col: number;
  name: string;
  cycles: (v: number) => number;
  /** `short`: without the event's name and source, for the total line after the domains' lines. */
  text: (v: number, short?: boolean) => string;
}

/** An opreport (or any per-sample) clock: samples × events per sample ("count N"). */
function perSampleClock(col: number, name: string, count: number): Clock {
  return { col, name, cycles: (v) => v * count, text: (v, short) => `${fmt(v)} samples × ${fmt(count)}${short === true ? '' : ` ${name} events/sample`}` };
}

/** The column of cycles, or why there is none (said in the warning). */
function clockColumn(p: Profile, wanted: string | undefined, file: string): Clock | { why: string } {
  const names = p.columns.length > 0 ? p.columns : p.events.map((e) => e.name);
  let col = -1;
  // A column the user named is taken as cycles whatever its event: they know their counters.
  if (wanted !== undefined) col = names.indexOf(wanted);
  if (col < 0) col = names.findIndex(isCycleEvent);
  const only = p.events.length === 1 ? p.events[0] : undefined;
  // -t thread columns ("tid 0", …) all count the profile's one event: cycles when that event is.
  if (col < 0 && only !== undefined && isCycleEvent(only.name)) col = 0;
  if (col < 0) {
    const events = p.events.map((e) => e.name).join(', ');
    return { why: events === '' ? 'no event named in the header ("Counted … events … count N")' : `no cycle-counting event in ${file} (counted ${events}): Table V is left empty for it` };
  }
  const name = names[col] ?? '';
  const ev = p.events.find((e) => e.name === name) ?? only;
  if (ev === undefined || ev.count === null) return { why: `no "count N" for the cycles event ${name} (events: ${p.events.map((e) => e.name).join(', ') || 'none'})` };
  return perSampleClock(col, ev.name, ev.count);
}

/**
 * A perf report section's cycles. perf prints each row's share of the event count (Overhead, or
 * Self with Children), not samples: domain_totals hold Σ percent. Read as samples they made
 * cycles/byte ~90× too small (99.53 "samples" × 1,000,003 for a profile of 8,895 samples). In order:
 *  - perf report -n prints a Samples column: Σ of it × the fixed period of perf record -c/--count
 *    (cmdline header) is exact;
 *  - else the share × "# Event count (approx.)" (perf's total of the event over the profile);
 *  - else a "# Samples: N" printed exactly (no K/M suffix) × the fixed period, times the share;
 *  - else there is nothing to turn percentages into cycles with, and the profile is refused.
 */
function perfClock(p: Profile, wanted: string | undefined, file: string): Clock | { why: string } {
  const ev = p.events[0];
  if (ev === undefined) return { why: `no "# Samples: … of event '…'" header in ${file}: the event perf counted is unknown` };
  if (ev.name !== wanted && !isCycleEvent(ev.name)) return { why: `no cycle-counting event in ${file} (counted ${ev.name}): Table V is left empty for it` };
  const period = ev.count;
  if (ev.row_samples !== undefined && period !== null && p.domain_totals.length === 1) {
    // One domain (perf rows are all native): its samples are the whole Samples column.
    const n = ev.row_samples;
    return { col: 0, name: ev.name, cycles: () => n * period, text: (_, short) => `${fmt(n)} samples${short === true ? ` × ${fmt(period)}` : ` (perf report -n) × ${fmt(period)} ${ev.name} events/sample (perf record --count)`}` };
  }
  if (ev.total_count !== undefined) {
    const total = ev.total_count;
    return { col: 0, name: ev.name, cycles: (pct) => (pct / 100) * total, text: (pct, short) => `${fmt(pct)} % of ${fmt(total)}${short === true ? '' : ` ${ev.name} events (perf's "Event count (approx.)")`}` };
  }
  if (ev.samples !== undefined && period !== null && /^\d+$/.test(ev.samples_text ?? '')) {
    const n = ev.samples;
    return { col: 0, name: ev.name, cycles: (pct) => (pct / 100) * n * period, text: (pct, short) => `${fmt(pct)} % of ${fmt(n)} samples × ${fmt(period)}${short === true ? '' : ` ${ev.name} events/sample (perf record --count)`}` };
  }
  return {
    why: `${file} has perf's percentages only: no "# Event count (approx.)" line, and no sample counts (perf report -n, or an exact "# Samples: N") with a fixed period (perf record -c/--count), so its cycles cannot be counted and Table V leaves it out; report it again with perf report --stdio, without -q (its header has the event count)`,
  };
}

/** Folds guestN into "guest" for the paper's driver/guest split, keeping the hypervisor apart. */
function tableDomain(d: Domain): string {
  return d.startsWith('guest') ? 'guest' : d;
}

/** A profile that stands for one run: `perf` when perf report wrote it (percentages, perfClock). */
interface RunProfile {
  p: Profile;
  file: string | undefined;
  perf: boolean;
  /** The import's warning that the listing was elided ("..."): its totals cover only the rows shown. */
  elided: string | undefined;
}

/**
 * The sections of one perf report that are profiles of runs. perf report prints one section per
 * event of one perf record session ("cycles:pp", then "dummy:HG" with 0 samples): those are one
 * run, not several, and counted as several they threw the pairing with the netperf runs off. The
 * run's sections are those of the clock event (the one asked for, else the first cycle-counting
 * event with samples); the same event printed again is another report (another run). Without a
 * cycles event, the first event's sections stand for the runs, and perfClock says why they
 * give no cycles.
 */
function perfRunSections(sections: readonly Profile[], wanted: string | undefined): Profile[] {
  const name = (p: Profile): string => p.events[0]?.name ?? '';
  const sampled = sections.filter((p) => p.events[0]?.samples !== 0 || p.row_count > 0);
  const pool = sampled.length > 0 ? sampled : [...sections];
  const pick = (run: readonly Profile[]): Profile | undefined => run.find((p) => name(p) === wanted) ?? run.find((p) => isCycleEvent(name(p))) ?? run[0];
  // With headers, each report's sections are one run whatever its events are called (a second report
  // of "cycles" after one of "cycles:pp" was dropped, unsaid, as another event)
  if (pool.every((p) => p.report !== undefined)) {
    const runs = new Map<number, Profile[]>();
    for (const p of pool) runs.set(p.report as number, [...(runs.get(p.report as number) ?? []), p]);
    return [...runs.values()].map(pick).filter((p): p is Profile => p !== undefined);
  }
  const clock = pick(pool);
  return clock === undefined ? [] : pool.filter((p) => name(p) === name(clock));
}

/**
 * How many stream runs pair with profiles (the first n of each, in the order given). Nothing the
 * stored documents keep ties a profile to the run it was taken during: netperf prints no start
 * time (only -D interim lines say when they ended), opreport nothing of the run, perf's "captured
 * on" header is not kept, and file names are the user's. So runs
 * and profiles pair one to one in order only when their numbers agree; otherwise Table V is left
 * empty, with the reason, rather than divide profiles by runs chosen by position (one more log in
 * the cell shifted every pair). With more than one pair the order is said as a warning: only the
 * user knows it is right.
 */
function pairStreams(streams: readonly StreamRun[], profiles: readonly RunProfile[], system: string, steps: string[], warnings: string[]): number {
  if (profiles.length === 0) return 0;
  const n = streams.length;
  const m = profiles.length;
  const runs = (k: number): string => `${INT_FMT.format(k)} TCP stream run${k === 1 ? '' : 's'}`;
  const profs = (k: number): string => `${INT_FMT.format(k)} profile${k === 1 ? '' : 's'}`;
  if (n !== m) {
    warnings.push(
      `Table V left empty: ${runs(n)} (with an elapsed time) and ${profs(m)}: nothing in the logs says which profile was taken during which run, so they are paired one to one in the order given only when their numbers agree; give the cell exactly the runs the profiles were taken during (e.g. one netperf log per profile)`,
    );
    steps.push(`Table V ${system}: not computed: ${runs(n)} and ${profs(m)} do not pair one to one`);
    return 0;
  }
  if (n > 1) {
    const show = Math.min(n, 3);
    const list = streams
      .slice(0, show)
      .map((s, i) => {
        const pr = profiles[i] as RunProfile;
        const run = s.rec.test === 'TCP_STREAM' && s.file !== undefined ? `${s.file} ${s.where}` : s.where;
        return `run ${i + 1} (${run}) ↔ ${pr.file ?? 'profile'} line ${pr.p.line}`;
      })
      .join(', ');
    warnings.push(`Table V pairs ${runs(n)} with ${profs(m)} in the order given (${list}${n > show ? ', …' : ''}): the logs do not say which profile was taken during which run; check the order`);
  }
  return n;
}

export function measuredTables(inputs: MeasuredInputs, opts: MeasuredOptions = {}): MeasuredTables {
  const system = opts.system ?? 'measured';
  const steps: string[] = [];
  const warnings: string[] = [];

  // Table IV
  const streams = streamRuns([...inputs.netperf, ...(inputs.iperf3 ?? [])], warnings);
  const mbps: number[] = [];
  const used: LogRecord[] = [];
  const wantMsg = opts.sizes?.messageBytes;
  const keepStream = sizeFilter(
    streams.filter((s) => s.mbps !== null).map((s) => s.rec),
    (r) => (wantMsg === undefined || r.message_bytes === undefined ? null : r.message_bytes === wantMsg),
  );
  streams.forEach((s, i) => {
    if (s.mbps === null) {
      warnings.push(`TCP_STREAM run ${i + 1} (${s.where}): ${s.units === '' ? 'no throughput units' : `unknown throughput units "${s.units}"`}${s.note}: left out of Table IV`);
      return;
    }
    if (!keepStream(s.rec)) {
      steps.push(`Table IV run ${i + 1} (${s.where}): ${bytesText(s.rec.message_bytes)} messages, not the simulation's ${bytesText(wantMsg)}: left out`);
      return;
    }
    mbps.push(s.mbps);
    used.push(s.rec);
    steps.push(`Table IV run ${i + 1} (${s.where}): ${s.rec.throughput_text ?? s.rec.throughput} ${s.units}${s.note} = ${fmt(s.mbps)} Mbit/s`);
  });
  const tableIV = { throughputMbps: summarise(mbps) };
  steps.push(describe(`Table IV ${system} throughput`, tableIV.throughputMbps, 'Mbit/s') + mixed(used, streamSize, 'message sizes', 'Table IV', warnings));

  // Table V
  // A differential profile (opreport -l { first } { second }) compares two runs: its samples mix
  // the second profile with the first one's count on "---" rows, and it belongs to no single
  // netperf run, so it is set aside before pairing instead of being turned into cycles/byte.
  const profiles: RunProfile[] = [];
  for (const d of inputs.oprofile) {
    const own = d.tool === 'perf' ? perfRunSections(d.profiles, opts.clockEvent) : d.profiles;
    for (const p of own) {
      if (p.differential === true) {
        warnings.push(
          `profile at line ${p.line} is a differential opreport (two profiles compared, "diff %" columns): it is not the profile of one run, so Table V leaves it out; import the two profiles separately (opreport -l once per session) to measure cycles/byte`,
        );
      } else profiles.push({ p, file: d.fileName, perf: d.tool === 'perf', elided: d.tool === 'perf' ? undefined : d.warnings.find((w) => /listing was elided/.test(w)) });
    }
  }
  const streamsWithBytes = streams.filter((s) => s.mbps !== null && s.rec.elapsed_s !== undefined);
  const pairs = pairStreams(streamsWithBytes, profiles, system, steps, warnings);
  const runs: CyclesPerByteRun[] = [];
  const paired: LogRecord[] = [];
  for (let i = 0; i < pairs; i++) {
    const s = streamsWithBytes[i] as StreamRun;
    const { p, file, perf, elided } = profiles[i] as RunProfile;
    const where = file ?? `the profile at line ${p.line}`;
    const clock = perf ? perfClock(p, opts.clockEvent, where) : clockColumn(p, opts.clockEvent, where);
    if ('why' in clock) {
      warnings.push(`profile ${i + 1} (line ${p.line}): ${clock.why}`);
      continue;
    }
    // perf's rows add up to ~100 % of its event count; an elided listing ("[...]") or one cut by
    // --percent-limit covers less, and its cycles/byte is only that part of the run's.
    const shown = perf ? p.domain_totals.reduce((a, t) => a + (t.samples[0] ?? 0), 0) : 100;
    if (shown < 99) warnings.push(`profile ${i + 1} (${where} line ${p.line}): its rows cover only ${fmt(shown)} % of perf's event count (the listing was elided or limited), so Table V run ${i + 1} counts only those cycles`);
    // opreport prints no total to check against: its own warning says a listing was cut ("...")
    if (elided !== undefined) warnings.push(`profile ${i + 1} (${where}): ${elided.replace(/^line \d+: /, '')}, so Table V run ${i + 1} counts only their cycles`);
    const mbit = s.mbps ?? 0;
    const elapsed = s.rec.elapsed_s ?? 0;
    const bytes = (mbit * 1e6 * elapsed) / 8;
    steps.push(`Table V run ${i + 1}: bytes = ${fmt(mbit)} Mbit/s × 10^6 ÷ 8 × ${elapsed} s = ${fmt(bytes)} B`);
    const samplesOf = new Map<string, number>();
    for (const t of p.domain_totals) {
      const k = tableDomain(t.domain);
      samplesOf.set(k, (samplesOf.get(k) ?? 0) + (t.samples[clock.col] ?? 0));
    }
    const perDomain: Record<string, number> = {};
    let hypervisor: number | undefined;
    const inTotal: string[] = [];
    let totalSamples = 0;
    for (const [k, samples] of [...samplesOf].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const c = clock.cycles(samples);
      const v = bytes > 0 ? c / bytes : NaN;
      const line = `  ${k}: ${clock.text(samples)} = ${fmt(c)} cycles ÷ ${fmt(bytes)} B = ${fmt(v)} cycles/B`;
      if (k === 'hypervisor') {
        hypervisor = v;
        steps.push(`${line} (not in the total)`);
        continue;
      }
      perDomain[k] = v;
      inTotal.push(k);
      totalSamples += samples;
      steps.push(line);
    }
    const hypNote = hypervisor === undefined ? '' : `; hypervisor ${fmt(hypervisor)} cycles/B not in the paper's total`;
    if (inTotal.length > 0) {
      const totalCycles = clock.cycles(totalSamples);
      perDomain['total'] = bytes > 0 ? totalCycles / bytes : NaN;
      steps.push(`  total = ${inTotal.join(' + ')}: ${clock.text(totalSamples, true)} = ${fmt(totalCycles)} cycles ÷ ${fmt(bytes)} B = ${fmt(perDomain['total'] ?? NaN)} cycles/B${hypNote}`);
    } else steps.push(`  total: no samples outside the hypervisor, so no total${hypNote}`);
    const source = `${s.rec.test === 'TCP_STREAM' ? `TCP_STREAM ${s.where}` : s.where} + profile line ${p.line}`;
    runs.push({ run: i + 1, source, bytes, perDomain, ...(hypervisor !== undefined ? { hypervisor } : {}) });
    paired.push(s.rec);
  }
  const domains = new Set(runs.flatMap((r) => Object.keys(r.perDomain)));
  const perDomainSummary: Record<string, Summary> = {};
  for (const d of [...domains].sort()) {
    const vals = runs.map((r) => r.perDomain[d]).filter((v): v is number => v !== undefined && Number.isFinite(v));
    const s = summarise(vals);
    if (s !== null) {
      perDomainSummary[d] = s;
      steps.push(describe(`Table V ${system} ${d} cycles/byte`, s, 'cycles/B') + (d === 'total' ? ` (total = ${[...domains].filter((x) => x !== 'total').sort().join(' + ')})` : ''));
    }
  }
  const hypervisor = summarise(runs.map((r) => r.hypervisor).filter((v): v is number => v !== undefined && Number.isFinite(v)));
  if (hypervisor !== null) steps.push(`${describe(`Table V ${system} hypervisor cycles/byte`, hypervisor, 'cycles/B')} (not in the total: the paper's total is driver + guest)`);
  const pairedMix = mixed(paired, streamSize, 'message sizes', 'Table V', warnings);
  if (pairedMix !== '') steps.push(`Table V ${system}: the paired runs${pairedMix}`);
  const tableV: MeasuredTables['tableV'] = { runs, perDomain: perDomainSummary, ...(hypervisor !== null ? { hypervisor } : {}) };

  // Table VII
  const rr = runsOf(inputs.netperf, 'TCP_RR');
  for (const d of inputs.netperf) {
    const noRate = d.records.filter((r) => r.test === 'TCP_RR' && r.error === undefined && r.transactions_per_s === undefined).map((r) => r.line);
    if (noRate.length > 0) warnings.push(noValueWarning(d, noRate, 'TCP_RR', 'transaction rate', 'Table VII'));
  }
  const tps: number[] = [];
  const rrUsed: LogRecord[] = [];
  const wantReq = opts.sizes?.rrRequestBytes;
  const wantResp = opts.sizes?.rrResponseBytes;
  const keepRr = sizeFilter(
    rr.filter((r) => r.transactions_per_s !== undefined),
    (r) =>
      (wantReq === undefined && wantResp === undefined) || (r.request_bytes === undefined && r.response_bytes === undefined)
        ? null
        : (wantReq === undefined || r.request_bytes === wantReq) && (wantResp === undefined || r.response_bytes === wantResp),
  );
  rr.forEach((r, i) => {
    const v = r.transactions_per_s;
    if (v === undefined) return;
    if (!keepRr(r)) {
      steps.push(`Table VII run ${i + 1} (line ${r.line}): ${rrSize(r)}, not the simulation's ${bytesText(wantReq)} request / ${bytesText(wantResp)} response: left out`);
      return;
    }
    tps.push(v);
    rrUsed.push(r);
    steps.push(`Table VII run ${i + 1} (line ${r.line}): ${fmt(v)} transactions/s`);
  });
  const tableVII = { transactionsPerS: summarise(tps) };
  steps.push(describe(`Table VII ${system} TCP_RR`, tableVII.transactionsPerS, 'transactions/s') + mixed(rrUsed, rrSize, 'request/response sizes', 'Table VII', warnings));

  // netperf runs of other tests (UDP_STREAM, TCP_MAERTS, SCTP…) are named, not silently dropped
  for (const d of inputs.netperf) {
    if (d.tool !== 'netperf') continue;
    const other = new Map<string, number>();
    for (const r of d.records) if (r.error === undefined && r.test !== 'TCP_STREAM' && r.test !== 'TCP_RR') other.set(r.test, (other.get(r.test) ?? 0) + 1);
    if (other.size > 0) {
      const list = [...other].map(([t, n]) => `${INT_FMT.format(n)} ${t}`).join(', ');
      warnings.push(`netperf ${d.fileName ?? 'file'}: ${list} run(s) not used for Tables IV–VII (Table IV is TCP_STREAM throughput, Table VII TCP_RR)`);
    }
  }

  for (const d of inputs.flent ?? []) {
    warnings.push(
      `flent ${d.fileName ?? 'file'}: not used for Tables IV–VII (flent keeps each flow's throughput sampled over time, beside aggregates of the same flows; import the netperf or iperf3 output of the runs)`,
    );
  }

  return { system, tableIV, tableV, tableVII, steps, warnings };
}

/**
 * Which runs a cell keeps when the simulation's size is known: `matches` says true/false, or null
 * when it cannot tell (a size not printed, or none asked for). Runs that do not match are left out
 * only when some run does match; otherwise every run is kept (and `mixed` warns).
 */
function sizeFilter(runs: readonly LogRecord[], matches: (r: LogRecord) => boolean | null): (r: LogRecord) => boolean {
  const any = runs.some((r) => matches(r) === true);
  return (r) => !any || matches(r) !== false;
}

/**
 * A cell's runs of different sizes are averaged together (a simulation has one message_bytes and
 * one request/response size): the suffix for its summary line, with a warning; '' when they agree.
 */
function mixed(runs: readonly LogRecord[], size: (r: LogRecord) => string, what: string, table: string, warnings: string[]): string {
  const mix = sizeMix(runs, size);
  if (mix === null) return '';
  warnings.push(`${table}: the ${INT_FMT.format(runs.length)} runs averaged have different ${what} (${mix}); compare with a simulation of one size by importing (or giving the ids of) runs of that size only`);
  return ` — mixes ${what}: ${mix}`;
}
