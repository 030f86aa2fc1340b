/**
 * Consolidation (issue 7, item 3): busy guests sharing the one core with the receiving guest
 * (knob `guests`), throughput and a fairness index per level.
 *
 * Per-guest throughput needs a per-guest record in RunResult. If a result carries
 * `per_guest: [{ throughput_mbps, cpu_share? }]` it is used as is (Jain over throughput). The current
 * model (rxsim) has one receiving guest plus CPU-bound guests that move no data, and reports the busy
 * guests' CPU only as a sum (cpu_busy_share.other_guests); then fairness is Jain's index over CPU
 * shares with the busy guests' sum split evenly among them, and `missing` says what the model lacks.
 */
import type { IntervalSummary } from '../contract/index.js';
import type { Db } from '../store/db.js';
import { getRuns } from '../store/runs.js';
import { runSweep } from './engine.js';
import { interval95, ivText, jainIndex } from './stats.js';
import type { KnobSet, SimBackend, SweepOptions, SystemName } from './types.js';

export interface ConsolidationSpec {
  system: SystemName;
  set: KnobSet;
  guests: number[];
  seeds: number;
}

export interface GuestShare {
  guest: string;
  throughputMbps: IntervalSummary | null;
  cpuShare: IntervalSummary;
}

export interface ConsolidationLevel {
  guests: number;
  throughputMbps: IntervalSummary;
  perGuest: GuestShare[];
  /** Jain's index over per-guest throughput (when the model reports it) else over CPU shares. */
  fairness: IntervalSummary;
  fairnessOver: 'throughput' | 'cpu-share';
  runIds: number[];
}

export interface ConsolidationResult {
  system: SystemName;
  modelVersion: string;
  seeds: number;
  levels: ConsolidationLevel[];
  /** What the model would need to report for true per-guest throughput; empty when it has it. */
  missing: string[];
  simulated: number;
  cachedRuns: number;
}

interface PerGuestRecord {
  throughput_mbps: number;
  cpu_share?: number;
}

function perGuestOf(detail: unknown): PerGuestRecord[] | undefined {
  const d = detail as { per_guest?: unknown } | null;
  if (!d || !Array.isArray(d.per_guest)) return undefined;
  const ok = d.per_guest.every((g: unknown) => typeof (g as PerGuestRecord | null)?.throughput_mbps === 'number');
  return ok ? (d.per_guest as PerGuestRecord[]) : undefined;
}

function shares(detail: unknown): { guest: number; other: number } {
  const c = (detail as { cpu_busy_share?: { guest?: unknown; other_guests?: unknown } } | null)?.cpu_busy_share;
  return { guest: typeof c?.guest === 'number' ? c.guest : Number.NaN, other: typeof c?.other_guests === 'number' ? c.other_guests : Number.NaN };
}

export async function runConsolidation(db: Db, backend: SimBackend, spec: ConsolidationSpec, opts: SweepOptions = {}): Promise<ConsolidationResult> {
  const r = await runSweep(db, backend, { system: spec.system, workload: 'stream', set: spec.set, vary: [{ key: 'guests', values: spec.guests }], seeds: spec.seeds }, opts);
  const missing = new Set<string>();
  const levels: ConsolidationLevel[] = r.points.map((p) => {
    const n = Number(p.values['guests']);
    const details = getRuns(db, p.runIds).map((x) => x.detail);
    const thr = p.metrics['throughput_mbps'] ?? interval95([]);
    const pg = details.map(perGuestOf);
    if (pg.every((x) => x !== undefined) && pg.length > 0) {
      const recs = pg as PerGuestRecord[][];
      const m = Math.max(...recs.map((x) => x.length));
      const perGuest: GuestShare[] = Array.from({ length: m }, (_, i) => ({
        guest: `guest ${i + 1}`,
        throughputMbps: interval95(recs.map((x) => x[i]?.throughput_mbps ?? Number.NaN)),
        cpuShare: interval95(recs.map((x) => x[i]?.cpu_share ?? Number.NaN)),
      }));
      return {
        guests: n,
        throughputMbps: thr,
        perGuest,
        fairness: interval95(recs.map((x) => jainIndex(x.map((g) => g.throughput_mbps)))),
        fairnessOver: 'throughput',
        runIds: p.runIds,
      };
    }
    missing.add(
      'RunResult.per_guest: [{ throughput_mbps, cpu_share }] for every guest — the model has one receiving guest and ' +
        '`guests` CPU-bound guests that move no data, so per-guest throughput exists for the receiver only',
    );
    if (n > 1) missing.add('the CPU share of each busy guest (only their sum, cpu_busy_share.other_guests, is reported; the fairness index assumes an even split)');
    const sh = details.map(shares);
    const perRun = sh.map((s) => [s.guest, ...Array.from({ length: n }, () => s.other / Math.max(1, n))]);
    const perGuest: GuestShare[] = [
      { guest: 'receiver', throughputMbps: thr, cpuShare: interval95(sh.map((s) => s.guest)) },
      ...Array.from({ length: n }, (_, i) => ({ guest: `busy ${i + 1}`, throughputMbps: null, cpuShare: interval95(sh.map((s) => s.other / n)) })),
    ];
    return {
      guests: n,
      throughputMbps: thr,
      perGuest,
      fairness: interval95(perRun.map((xs) => jainIndex(xs))),
      fairnessOver: 'cpu-share',
      runIds: p.runIds,
    };
  });
  return { system: spec.system, modelVersion: r.modelVersion, seeds: spec.seeds, levels, missing: [...missing], simulated: r.simulated, cachedRuns: r.cachedRuns };
}

export function formatConsolidation(r: ConsolidationResult): string {
  const f = (x: IntervalSummary | null, d = 1): string => ivText(x, d);
  const lines = [`Consolidation: ${r.system}, ${r.seeds} seeds, model ${r.modelVersion} (${r.simulated} simulated, ${r.cachedRuns} from the store)`, ''];
  lines.push(`  ${'guests'.padStart(6)} ${'receiver Mb/s'.padStart(18)} ${'Jain index'.padStart(16)}  per-guest CPU share`);
  for (const l of r.levels) {
    lines.push(
      `  ${String(l.guests).padStart(6)} ${f(l.throughputMbps).padStart(18)} ${f(l.fairness, 3).padStart(16)}  ${l.perGuest.map((g) => `${g.guest} ${f(g.cpuShare, 3)}`).join(', ')} (over ${l.fairnessOver})`,
    );
  }
  if (r.missing.length) lines.push('', 'Missing from the model for true per-guest throughput:', ...r.missing.map((m) => `  - ${m}`));
  return `${lines.join('\n')}\n`;
}
