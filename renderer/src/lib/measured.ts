/**
 * Measured figures from imported documents for the notebook: the shape of the Compare cell's
 * measured column, the cycle-event rule (parity-tested against the backend's), and measured points
 * along a sweep's axis. Tables IV–VII themselves come from the backend's measured.tables only (a
 * second copy of that arithmetic here fell behind it: it took perf's percentages for samples).
 */
import { interval, type Interval } from './stats.js';

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
  /** Column names (opreport: events or threads; perf: ["Children", "Self"] or ["Overhead"]). */
  columns?: string[];
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

export interface MeasuredValues {
  throughputMbps: Interval | null;
  rrPerS: Interval | null;
  cyclesPerByte: { driver: Interval | null; guest: Interval | null; total: Interval | null };
  arithmetic: string[];
  /** What the arithmetic could not do or had to assume, for the cell to show where it is seen. */
  warnings?: string[];
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
