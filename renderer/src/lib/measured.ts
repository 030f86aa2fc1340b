/**
 * Measured figures from imported documents (netperf records, opreport profiles), for the Compare
 * cell's "measured" column. The backend's measured.tables is preferred; this reads the documents the
 * Import cells keep, so a notebook still shows the measured column (and the arithmetic) without it.
 */
import { interval, type Interval, fmt } from './stats.js';

interface Rec {
  test?: string;
  message_bytes?: number;
  request_bytes?: number;
  response_bytes?: number;
  throughput?: number;
  throughput_units?: string;
  transactions_per_s?: number;
  elapsed_s?: number;
  error?: string;
  line?: number;
}
interface ProfileLike {
  events?: { name: string; count: number | null }[];
  domain_totals?: { domain: string; samples: number[] }[];
  /** opreport differential output: two runs compared, no cycles of one run to divide by bytes. */
  differential?: boolean;
  rows?: { samples: number[]; percent: number[]; symbol: string | null; image: string | null; domain: string; depth: number }[];
  line?: number;
}
export interface DocLike {
  tool?: string;
  records?: Rec[];
  profiles?: ProfileLike[];
}

// Throughput units to Mbit/s exactly as the backend's measured tables read them.
export { toMbps } from '../../../core/contract/units.js';
import { toMbps } from '../../../core/contract/units.js';

const isStream = (t: string | undefined): boolean => !!t && /STREAM|MAERTS/i.test(t) && !/UDP/i.test(t);
const isRr = (t: string | undefined): boolean => !!t && /TCP_RR/i.test(t);

/**
 * Events that count CPU cycles, as the backend's measured tables take them (core/logs/measured,
 * isCycleEvent; renderer/ may not import it): samples × count of any other event is not cycles.
 */
const CYCLE_EVENT = /CPU_CLK_UNHALTED|CPU_CLK|cycles|GLOBAL_POWER_EVENTS|clk_unhalted|cpu-clock/i;
const NOT_CYCLES = /stalled|bus[-_]cycles/i;
export const isCycleEvent = (name: string): boolean => CYCLE_EVENT.test(name) && !NOT_CYCLES.test(name);

/** The profile's cycles column (events in column order, one per column), or why there is none. */
function cycleColumn(p: ProfileLike): { col: number; name: string; count: number } | string {
  const events = p.events ?? [];
  // Column i counts event i; with one event (opreport -t) the columns are its threads, and column 0
  // is taken, as the backend does.
  const col = events.findIndex((e) => isCycleEvent(e.name));
  if (col < 0) return events.length === 0 ? 'no event named in the header' : `counted ${events.map((e) => e.name).join(', ')}`;
  const ev = events[col] as { name: string; count: number | null };
  if (ev.count === null) return `no "count N" for ${ev.name}`;
  return { col, name: ev.name, count: ev.count };
}

export interface MeasuredValues {
  throughputMbps: Interval | null;
  rrPerS: Interval | null;
  cyclesPerByte: { driver: Interval | null; guest: Interval | null; total: Interval | null };
  arithmetic: string[];
}

export function measuredFromDocs(docs: { fileName: string; doc: DocLike }[]): MeasuredValues {
  const arithmetic: string[] = [];
  const streams: { mbps: number; elapsed: number | null; file: string; line: number | undefined }[] = [];
  const rr: number[] = [];
  for (const { fileName, doc } of docs) {
    for (const r of doc.records ?? []) {
      if (r.error) continue;
      if (isStream(r.test) && typeof r.throughput === 'number') {
        const mbps = toMbps(r.throughput, r.throughput_units);
        if (mbps !== null) streams.push({ mbps, elapsed: r.elapsed_s ?? null, file: fileName, line: r.line });
      } else if (isRr(r.test) && typeof r.transactions_per_s === 'number') rr.push(r.transactions_per_s);
    }
  }
  const throughputMbps = interval(streams.map((s) => s.mbps));
  if (throughputMbps) arithmetic.push(`Table IV: mean of ${streams.length} TCP stream run(s) = ${fmt(throughputMbps.mean)} Mbit/s`);
  const rrPerS = interval(rr);
  if (rrPerS) arithmetic.push(`Table VII: mean of ${rr.length} TCP_RR run(s) = ${fmt(rrPerS.mean)} transactions/s`);

  const cyclesPerByte: MeasuredValues['cyclesPerByte'] = { driver: null, guest: null, total: null };
  const usable = (p: ProfileLike): boolean => p.differential !== true;
  const profileDoc = docs.find((d) => (d.doc.profiles ?? []).some(usable));
  if (!profileDoc && docs.some((d) => (d.doc.profiles ?? []).length > 0)) {
    arithmetic.push('Table V: only differential opreport profiles are imported (two runs compared); import each run\'s own profile to measure cycles/byte');
  }
  const stream = streams.find((s) => s.elapsed !== null);
  if (profileDoc && stream && stream.elapsed) {
    const p = (profileDoc.doc.profiles ?? []).find(usable) as ProfileLike;
    const clock = cycleColumn(p);
    const bytes = (stream.mbps * 1e6 * stream.elapsed) / 8;
    if (typeof clock === 'string') arithmetic.push(`Table V: no cycle-counting event in ${profileDoc.fileName} (${clock}): Table V is left empty`);
    else if (bytes > 0) {
      const { col, count } = clock;
      const by = new Map<string, number>();
      for (const t of p.domain_totals ?? []) by.set(t.domain, (by.get(t.domain) ?? 0) + (t.samples[col] ?? 0));
      // As the backend (core/logs/measured/tables.ts) and the paper count it: total = driver +
      // guest (every domain but the hypervisor); the hypervisor's cycles are shown on their own.
      const hypervisor = by.get('hypervisor') ?? 0;
      const total = [...by.entries()].filter(([d]) => d !== 'hypervisor').reduce((a, [, v]) => a + v, 0);
      const driver = by.get('driver') ?? 0;
      const guest = [...by.entries()].filter(([d]) => d.startsWith('guest')).reduce((a, [, v]) => a + v, 0);
      arithmetic.push(
        `Table V: bytes = ${fmt(stream.mbps)} Mbit/s × ${stream.elapsed} s ÷ 8 = ${bytes.toExponential(4)} B (${stream.file}${stream.line ? `, line ${stream.line}` : ''})`,
      );
      arithmetic.push(`Table V: cycles = samples × ${count} (events per sample, ${clock.name}) from ${profileDoc.fileName}`);
      const one = (samples: number): Interval => ({ mean: (samples * count) / bytes, lo: null, hi: null, halfWidth: null, n: 1 });
      cyclesPerByte.total = one(total);
      const hyp = hypervisor > 0 ? `; hypervisor ${hypervisor} samples → ${fmt(one(hypervisor).mean)} cycles/B not in the paper's total` : '';
      const parts = [...new Set([...by.keys()].filter((d) => d !== 'hypervisor').map((d) => (d.startsWith('guest') ? 'guest' : d)))].sort();
      arithmetic.push(`  total = ${parts.join(' + ') || 'nothing outside the hypervisor'}: ${total} samples × ${count} ÷ ${bytes.toExponential(4)} B = ${fmt(cyclesPerByte.total.mean)} cycles/B${hyp}`);
      if (driver > 0 || guest > 0) {
        cyclesPerByte.driver = one(driver);
        cyclesPerByte.guest = one(guest);
        arithmetic.push(`  driver domain: ${driver} samples → ${fmt(cyclesPerByte.driver.mean)} cycles/B`);
        arithmetic.push(`  guest domain(s): ${guest} samples → ${fmt(cyclesPerByte.guest.mean)} cycles/B`);
      } else arithmetic.push('  no Xen domain images in the profile: only the total is measured');
    }
  } else if (profileDoc && !stream) arithmetic.push('Table V: a profile is imported but no TCP stream run with an elapsed time to divide by');
  return { throughputMbps, rrPerS, cyclesPerByte, arithmetic };
}

/**
 * Measured points for a sweep's axis, where a log has the same knob: TCP stream throughput against
 * the send size (`message_bytes`, netperf -m), TCP_RR rate against the request or response size
 * (`rr_request_bytes` / `rr_response_bytes`, netperf -r). Runs at one x are summarised as a mean with
 * its 95 % Student-t interval, as the sweep's own points are. null when no run fits.
 */
export function measuredAlong(docs: DocLike[], xKnob: string, y: string): { x: number[]; y: number[]; err: (number | null)[]; runs: number } | null {
  const pick = (r: Rec): [number | undefined, number | null] | null => {
    if (r.error) return null;
    if (y === 'throughput_mbps' && xKnob === 'message_bytes' && isStream(r.test) && typeof r.throughput === 'number') return [r.message_bytes, toMbps(r.throughput, r.throughput_units)];
    if (y === 'rr_transactions_per_s' && isRr(r.test) && typeof r.transactions_per_s === 'number') {
      if (xKnob === 'rr_request_bytes') return [r.request_bytes, r.transactions_per_s];
      if (xKnob === 'rr_response_bytes') return [r.response_bytes, r.transactions_per_s];
    }
    return null;
  };
  const at = new Map<number, number[]>();
  let runs = 0;
  for (const doc of docs) {
    for (const r of doc.records ?? []) {
      const p = pick(r);
      if (p === null || typeof p[0] !== 'number' || p[1] === null || !Number.isFinite(p[1])) continue;
      const list = at.get(p[0]);
      if (list) list.push(p[1]);
      else at.set(p[0], [p[1]]);
      runs++;
    }
  }
  if (runs === 0) return null;
  const xs = [...at.keys()].sort((a, b) => a - b);
  const iv = xs.map((x) => interval(at.get(x) ?? []));
  return { x: xs, y: iv.map((i) => i?.mean ?? Number.NaN), err: iv.map((i) => i?.halfWidth ?? null), runs };
}
