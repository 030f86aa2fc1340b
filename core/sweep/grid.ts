/** Grid expansion and the `key=from..to[:step]` / `key=a,b,c` / `k=v` syntax of the sweep CLI. */
import { UsageError } from '../cli-args.js';
import type { KnobSet, KnobValue, SimRequest, SweepSpec, VarySpec } from './types.js';

/** "12" → 12, "true" → true, anything else stays a string. */
export function parseKnobValue(raw: string): KnobValue {
  const s = raw.trim();
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (s !== '' && /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) return Number(s);
  return s;
}

/** Rounds away binary noise (0.1+0.2) so grid values print and hash the same everywhere. */
function clean(x: number): number {
  return Number(x.toPrecision(12));
}

/** Expands from..to:step inclusive; the count is computed once so float steps never drift. */
export function rangeValues(from: number, to: number, step: number): number[] {
  if (!Number.isFinite(from) || !Number.isFinite(to) || !Number.isFinite(step)) throw new UsageError('range bounds and step must be numbers');
  if (step <= 0) throw new UsageError(`step must be positive, got ${step}`);
  if (to < from) throw new UsageError(`range ${from}..${to} is empty (to < from)`);
  const n = Math.floor((to - from) / step + 1e-9) + 1;
  if (n > 1000) throw new UsageError(`range ${from}..${to}:${step} has ${n} values (at most 1000)`);
  return Array.from({ length: n }, (_, i) => clean(from + i * step));
}

/** Parses `key=from..to[:step]` (numbers) or `key=a,b,c` (any values) or `key=v`. */
export function parseVary(arg: string): VarySpec {
  const eq = arg.indexOf('=');
  if (eq <= 0) throw new UsageError(`--vary ${arg}: expected key=from..to[:step] or key=a,b,c`);
  const key = arg.slice(0, eq).trim();
  const rhs = arg.slice(eq + 1).trim();
  const m = /^([^.:]+|[-+]?\d*\.\d+)\.\.([^:]+)(?::(.+))?$/.exec(rhs);
  if (m) {
    const [from, to, step] = [Number(m[1]), Number(m[2]), m[3] === undefined ? 1 : Number(m[3])];
    if (!Number.isFinite(from) || !Number.isFinite(to) || !Number.isFinite(step)) {
      throw new UsageError(`--vary ${arg}: from, to and step must be numbers`);
    }
    return { key, values: rangeValues(from, to, step) };
  }
  const values = rhs.split(',').map((s) => s.trim()).filter((s) => s !== '').map(parseKnobValue);
  if (values.length === 0) throw new UsageError(`--vary ${arg}: no values`);
  // a value twice would be one point printed twice (and its seeds counted twice in nothing): say so
  const twice = values.find((v, i) => values.indexOf(v) !== i);
  if (twice !== undefined) throw new UsageError(`--vary ${arg}: ${String(twice)} is given twice`);
  return { key, values };
}

/** Parses `k=v` for --set. */
export function parseSet(args: string[]): KnobSet {
  const out: KnobSet = {};
  for (const a of args) {
    const eq = a.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set ${a}: expected key=value`);
    out[a.slice(0, eq).trim()] = parseKnobValue(a.slice(eq + 1));
  }
  return out;
}

/** Cartesian product of the varied knobs, first knob outermost. */
export function expandGrid(vary: VarySpec[]): KnobSet[] {
  let acc: KnobSet[] = [{}];
  for (const v of vary) {
    const next: KnobSet[] = [];
    for (const base of acc) for (const x of v.values) next.push({ ...base, [v.key]: x });
    acc = next;
  }
  return acc;
}

export function seedList(spec: Pick<SweepSpec, 'seeds' | 'seedBase'>, n = spec.seeds): number[] {
  const base = spec.seedBase ?? 1;
  return Array.from({ length: n }, (_, i) => base + i);
}

export function requestFor(spec: SweepSpec, values: KnobSet, seed: number): SimRequest {
  const req: SimRequest = { system: spec.system, set: { ...spec.set, ...values }, seed, workload: spec.workload };
  if (spec.parameterSet) req.parameterSet = spec.parameterSet;
  return req;
}

/** Every (point, seed) request of a non-sequential sweep, point-major. */
export function allRequests(spec: SweepSpec): { point: number; values: KnobSet; req: SimRequest }[] {
  const grid = expandGrid(spec.vary);
  const seeds = seedList(spec);
  const out: { point: number; values: KnobSet; req: SimRequest }[] = [];
  grid.forEach((values, point) => {
    for (const s of seeds) out.push({ point, values, req: requestFor(spec, values, s) });
  });
  return out;
}
