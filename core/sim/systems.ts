/**
 * The five systems = the one shared parameter set + mechanism switches. Nothing else differs.
 *
 * The base switch values are LRO's (flush every poll expressed as every-k with k = 1), so:
 *   LRO + flush_every_polls=2 ≡ DA,  LRO + lro=off ≡ Xen,  LRO + bridge_copy=off ≡ BO,
 *   LRO + lro=off + receiver=dom0 ≡ Linux — exactly, for the same seed.
 */
import calibrated from './calibrated-params.json' with { type: 'json' };
import { applyOverrides, DEFAULT_PARAMS, validateParams, type Params } from './params.js';
import type { SystemName } from './types.js';

const BASE_SWITCHES: Partial<Params> = {
  lro: true,
  flush_policy: 'every-k',
  flush_every_polls: 1,
  bridge_copy: true,
  receiver: 'guest',
};

export const SYSTEM_SWITCHES: Record<SystemName, Partial<Params>> = {
  Linux: { lro: false, receiver: 'dom0' },
  Xen: { lro: false },
  LRO: {},
  BO: { bridge_copy: false },
  DA: { flush_every_polls: 2 },
};

let calibratedCache: Params | undefined;

/** The calibrated shared parameter set (calibrated-params.json over the priors). */
export function calibratedParams(): Params {
  if (calibratedCache === undefined) {
    calibratedCache = validateParams({ ...DEFAULT_PARAMS, ...(calibrated.params as Record<string, unknown>) });
  }
  return { ...calibratedCache };
}

/** Preset for `system` built on `base` (default: the calibrated set), then user overrides. */
export function presetParams(system: SystemName, base?: Params, set?: Record<string, string | number | boolean>): Params {
  const b = base ?? calibratedParams();
  const withSwitches: Params = { ...b, ...BASE_SWITCHES, ...SYSTEM_SWITCHES[system] } as Params;
  return applyOverrides(withSwitches, set);
}
