/**
 * The value a knob added to a Simulation or Sweep cell starts at: what the run would use without it,
 * i.e. its value in the cell's system's preset over the cell's parameter set (sim.knobs `presets`,
 * computed by the backend's presetParams), not the knob's range minimum (Duration 0.001 s, MTU 576).
 */
import type { KnobSpec } from '../../../core/contract/index.js';
import { knob } from './knobs.js';
import { SYSTEMS } from './notebook.js';

type SystemName = keyof KnobSpec['presets'];
const isSystem = (s: string | undefined): s is SystemName => s !== undefined && (SYSTEMS as readonly string[]).includes(s);

/** The knob's value in `system`'s preset (LRO's without a system), from sim.knobs' answer. */
function presetOf(specs: readonly KnobSpec[] | undefined, key: string, system: string | undefined): string | number | boolean | undefined {
  return specs?.find((s) => s.name === key)?.presets[isSystem(system) ? system : 'LRO'];
}

/** A knob value as the knob editor holds it: switches as on/off, numbers as typed text. */
function asText(v: string | number | boolean): string {
  return typeof v === 'boolean' ? (v ? 'on' : 'off') : String(v);
}

/**
 * @param specs sim.knobs' answer for the cell's parameter set (undefined when it could not be had)
 * @param system the cell's (first) system; LRO's preset without one
 */
export function initialKnobValue(key: string, specs: readonly KnobSpec[] | undefined, system?: string): string {
  const v = presetOf(specs, key, system);
  if (v !== undefined && v !== '') return asText(v);
  const k = knob(key);
  return k?.options?.[0] ?? String(k?.min ?? 1);
}

/**
 * The presets of `key` among `systems` when they differ ("Linux off, Xen off, LRO on"), else null:
 * a Simulation cell sets one value for all its systems, so such a knob makes them alike.
 */
export function presetsDiffer(key: string, specs: readonly KnobSpec[] | undefined, systems: readonly string[]): string | null {
  const presets = specs?.find((s) => s.name === key)?.presets;
  if (!presets) return null;
  const mine = systems.filter(isSystem);
  if (new Set(mine.map((s) => String(presets[s]))).size < 2) return null;
  return mine.map((s) => `${s} ${asText(presets[s])}`).join(', ');
}

/**
 * Whether busy guests (`guests` > 0) meet a measured window too short for the credit scheduler's
 * 30 ms slices to average out (under 1 s: the default 0.15 s holds four), where their CPU share
 * depends on the phase of the slices: 60 % for two busy guests and for three alike.
 */
export function shortForGuests(set: Readonly<Record<string, unknown>>, specs: readonly KnobSpec[] | undefined, system?: string): boolean {
  const guests = Number(set['guests'] ?? 0);
  if (!(guests > 0)) return false;
  const given = set['duration_s'];
  const duration = Number(given ?? presetOf(specs, 'duration_s', system) ?? NaN);
  return Number.isFinite(duration) && duration < 1;
}
