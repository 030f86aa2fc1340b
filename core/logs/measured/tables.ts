import type { Domain, ImportDoc, LogRecord, Profile } from '../types.js';
import { toMbps } from '../numbers.js';
import { studentT95, type Interval } from '../../stats/interval.js';

/**
 * Measured Tables IV, V and VII from a user's own logs, with the arithmetic shown:
 *
 *   Table IV  throughput (Mbit/s)         = netperf TCP_STREAM throughput, converted from its units
 *             (and iperf3 -J TCP runs: the receiver's bits/s)
 *   Table V   cycles/byte of a domain     = Σ samples(domain) × event count per sample ÷ bytes,
 *             bytes transferred           = throughput (bit/s) ÷ 8 × elapsed (s),
 *             total                       = Σ domains except the hypervisor (driver + guest on Xen),
 *                                           as the paper's and the simulator's totals are; the
 *                                           hypervisor's cycles/byte are reported on their own
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
    for (const r of d.records) {
      if (r.test !== 'TCP_STREAM' || r.error !== undefined || r.throughput === undefined) continue;
      const u = netperfUnits(r);
      out.push({ rec: r, where: `line ${r.line}`, mbps: toMbps(r.throughput, u.units), units: u.units ?? r.throughput_units ?? '', note: u.note });
    }
  }
  return out;
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

type Clock = { col: number; name: string; count: number };

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
  return { col, name: ev.name, count: ev.count };
}

/** Folds guestN into "guest" for the paper's driver/guest split, keeping the hypervisor apart. */
function tableDomain(d: Domain): string {
  return d.startsWith('guest') ? 'guest' : d;
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
      warnings.push(`TCP_STREAM run ${i + 1} (${s.where}): unknown throughput units "${s.units}"${s.note}`);
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
  const profiles: { p: Profile; file: string | undefined }[] = [];
  for (const d of inputs.oprofile) {
    for (const p of d.profiles) {
      if (p.differential === true) {
        warnings.push(
          `profile at line ${p.line} is a differential opreport (two profiles compared, "diff %" columns): it is not the profile of one run, so Table V leaves it out; import the two profiles separately (opreport -l once per session) to measure cycles/byte`,
        );
      } else profiles.push({ p, file: d.fileName });
    }
  }
  const streamsWithBytes = streams.filter((s) => s.mbps !== null && s.rec.elapsed_s !== undefined);
  const pairs = Math.min(streamsWithBytes.length, profiles.length);
  if (streamsWithBytes.length !== profiles.length && profiles.length > 0) {
    warnings.push(`${streamsWithBytes.length} TCP_STREAM runs and ${profiles.length} profiles: pairing the first ${pairs} in order`);
  }
  const runs: CyclesPerByteRun[] = [];
  const paired: LogRecord[] = [];
  for (let i = 0; i < pairs; i++) {
    const s = streamsWithBytes[i] as StreamRun;
    const { p, file } = profiles[i] as { p: Profile; file: string | undefined };
    const clock = clockColumn(p, opts.clockEvent, file ?? `the profile at line ${p.line}`);
    if ('why' in clock) {
      warnings.push(`profile ${i + 1} (line ${p.line}): ${clock.why}`);
      continue;
    }
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
      const c = samples * clock.count;
      const v = bytes > 0 ? c / bytes : NaN;
      const line = `  ${k}: ${fmt(samples)} samples × ${fmt(clock.count)} ${clock.name} events/sample = ${fmt(c)} cycles ÷ ${fmt(bytes)} B = ${fmt(v)} cycles/B`;
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
      const totalCycles = totalSamples * clock.count;
      perDomain['total'] = bytes > 0 ? totalCycles / bytes : NaN;
      steps.push(
        `  total = ${inTotal.join(' + ')}: ${fmt(totalSamples)} samples × ${fmt(clock.count)} = ${fmt(totalCycles)} cycles ÷ ${fmt(bytes)} B = ${fmt(perDomain['total'] ?? NaN)} cycles/B${hypNote}`,
      );
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
