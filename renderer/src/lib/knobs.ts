/** The simulator's user knobs (issue 3 §3), with units and validation for the Simulation and Sweep cells. */
import type { KnobSpec } from '../../../core/contract/index.js';
export type KnobType = 'int' | 'number' | 'onoff' | 'enum';
export interface Knob {
  key: string;
  label: string;
  type: KnobType;
  unit?: string;
  min?: number;
  max?: number;
  options?: readonly string[];
  help: string;
}

/**
 * The user knobs with short labels. Ranges, units, allowed values and help are replaced at start-up by the
 * model's own specs (sim.knobs, applyModelSpecs), and every cost parameter is appended, so the UI
 * validates exactly what the simulator accepts; this list is the fallback and supplies the labels.
 */
export const KNOBS: Knob[] = [
  { key: 'flush_every_polls', label: 'Flush every k polls', type: 'int', unit: 'polls', min: 1, max: 64, help: 'LRO flushes aggregates every k-th NAPI poll (DA = 2).' },
  { key: 'flush_policy', label: 'Flush policy', type: 'enum', options: ['every-poll', 'every-k', 'timeout', 'adaptive'], help: 'When the LRO aggregator flushes.' },
  { key: 'flush_timeout_us', label: 'Flush timeout', type: 'number', unit: 'µs', min: 1, max: 100000, help: 'Timeout policy: flush an aggregate after this long.' },
  { key: 'lro', label: 'LRO', type: 'onoff', options: ['on', 'off'], help: 'Large receive offload in the physical NIC driver (dom0).' },
  { key: 'netfront_lro', label: 'LRO in netfront', type: 'onoff', options: ['on', 'off'], help: "What-if: LRO in the guest's netfront too (off in the five systems)." },
  { key: 'bridge_copy', label: 'Bridge copy', type: 'onoff', options: ['on', 'off'], help: 'The bridge linearises chained aggregates (off = BO).' },
  { key: 'mtu', label: 'MTU', type: 'int', unit: 'bytes', min: 576, max: 9000, help: 'Link MTU (1500 in the paper, 9000 = jumbo frames).' },
  { key: 'link_mbps', label: 'Link speed', type: 'number', unit: 'Mbit/s', min: 10, max: 100000, help: 'Physical link rate (1000 in the paper).' },
  { key: 'cpu_ghz', label: 'CPU clock', type: 'number', unit: 'GHz', min: 0.5, max: 10, help: 'Receiver core clock (3 in the paper).' },
  { key: 'message_bytes', label: 'Message size', type: 'int', unit: 'bytes', min: 1, max: 1048576, help: 'netperf message size (1024 in the paper).' },
  { key: 'guests', label: 'Extra busy guests', type: 'int', unit: 'domains', min: 0, max: 16, help: 'Extra CPU-bound guest domains sharing the one core.' },
  { key: 'lro_max_aggr', label: 'LRO max aggregate', type: 'int', unit: 'packets', min: 1, max: 64, help: 'inet_lro max_aggr: flush when an aggregate holds this many packets.' },
  { key: 'napi_weight', label: 'NAPI weight', type: 'int', unit: 'frames', min: 1, max: 1024, help: 'NAPI quota per poll (64 in r8169 and netfront).' },
  { key: 'flush_push', label: 'Flush pushed segments', type: 'onoff', options: ['on', 'off'], help: 'Flush at poll end an aggregate ending in a short (pushed) segment.' },
  { key: 'duration_s', label: 'Duration', type: 'number', unit: 's', min: 0.001, max: 600, help: 'Simulated measurement time.' },
  { key: 'warmup_s', label: 'Warm-up', type: 'number', unit: 's', min: 0, max: 60, help: 'Simulated time discarded before measuring.' },
];

export function knob(key: string): Knob | undefined {
  return KNOBS.find((k) => k.key === key);
}

export type KnobValue = string | number | boolean;

/** Validates one knob value typed by the user. Returns the parsed value or a readable error. */
export function parseKnob(key: string, raw: string): { value: KnobValue } | { error: string } {
  const k = knob(key);
  const text = raw.trim();
  if (!k) {
    // A cost parameter by name: any finite number.
    if (!/^[a-z][a-z0-9_.]*$/i.test(key)) return { error: `“${key}” is not a knob name` };
    const n = Number(text);
    return text !== '' && Number.isFinite(n) ? { value: n } : { error: `${key} needs a number` };
  }
  if (k.type === 'enum' || k.type === 'onoff') {
    return k.options?.includes(text) ? { value: text } : { error: `${k.label}: one of ${k.options?.join(', ')}` };
  }
  if (text === '') return { error: `${k.label} needs a value` };
  const n = Number(text);
  if (!Number.isFinite(n)) return { error: `${k.label} needs a number${k.unit ? ` in ${k.unit}` : ''}` };
  if (k.type === 'int' && !Number.isInteger(n)) return { error: `${k.label} must be a whole number` };
  if (k.min !== undefined && n < k.min) return { error: `${k.label} must be at least ${k.min}${k.unit ? ` ${k.unit}` : ''}` };
  if (k.max !== undefined && n > k.max) return { error: `${k.label} must be at most ${k.max}${k.unit ? ` ${k.unit}` : ''}` };
  return { value: n };
}

/** Expands from..to:step into explicit values (at most 1000), or explains what is wrong. */
export function expandRange(key: string, from: number, to: number, step: number): { values: number[] } | { error: string } {
  const k = knob(key);
  const label = k?.label ?? key;
  if (![from, to, step].every(Number.isFinite)) return { error: `${label}: from, to and step must be numbers` };
  if (step <= 0) return { error: `${label}: step must be positive` };
  if (to < from) return { error: `${label}: “to” must not be below “from”` };
  const count = Math.floor((to - from) / step + 1e-9) + 1;
  if (count > 1000) return { error: `${label}: ${count} values; at most 1000` };
  const values: number[] = [];
  for (let i = 0; i < count; i++) values.push(Number((from + i * step).toPrecision(12)));
  for (const v of values) {
    const p = parseKnob(key, String(v));
    if ('error' in p) return { error: p.error };
  }
  return { values };
}

/** Metric names with units and labels for tables and plots (shared with the PDF report). */
export { METRIC_LABELS as METRICS, metricLabel } from '../../../core/contract/metric-labels.js';

/** Takes the simulator's knob specs (sim.knobs) as the truth for ranges, units and allowed values. */
export function applyModelSpecs(specs: readonly KnobSpec[]): void {
  for (const spec of specs) {
    const type: KnobType = spec.kind === 'switch' ? 'onoff' : spec.kind;
    const fromModel: Knob = {
      key: spec.name,
      label: spec.name,
      type,
      help: spec.doc,
      ...(spec.unit && spec.kind !== 'switch' ? { unit: spec.unit } : {}),
      ...(spec.min !== undefined ? { min: spec.min } : {}),
      ...(spec.max !== undefined ? { max: spec.max } : {}),
      ...(spec.kind === 'switch' ? { options: ['on', 'off'] } : spec.values ? { options: spec.values } : {}),
    };
    const i = KNOBS.findIndex((k) => k.key === spec.name);
    if (i >= 0) {
      const mine = KNOBS[i] as Knob;
      KNOBS[i] = { ...fromModel, label: mine.label };
    } else KNOBS.push(fromModel);
  }
}
