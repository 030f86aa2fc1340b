import { describe, expect, it } from 'vitest';
import { applyOverrides, DEFAULT_PARAMS, PARAM_SPECS, ParamError, parseKnob, parseSetArgs } from './params.js';
import { presetParams, SYSTEM_SWITCHES } from './systems.js';

describe('knob validation', () => {
  it('accepts on/off/true/false/1/0 for switches and numbers from strings', () => {
    for (const v of ['on', 'true', '1', 1, true]) expect(parseKnob('lro', v)).toBe(true);
    for (const v of ['off', 'false', '0', 0, false]) expect(parseKnob('lro', v)).toBe(false);
    expect(parseKnob('mtu', '9000')).toBe(9000);
    expect(parseKnob('flush_policy', 'timeout')).toBe('timeout');
  });

  it('names the knob and the allowed range or values in errors', () => {
    expect(() => parseKnob('mtu', '99999')).toThrow(/knob "mtu".*\[576, 9000\]/);
    expect(() => parseKnob('flush_every_polls', '1.5')).toThrow(/integer/);
    expect(() => parseKnob('flush_policy', 'sometimes')).toThrow(/^knob "flush_policy": expected one of every-poll \| every-k \| timeout \| adaptive, got "sometimes"$/);
    expect(() => parseKnob('mtu', 100)).toThrow(/\(got 100\)$/);
    expect(() => parseKnob('lro', 'maybe')).toThrow(/on\/off/);
    // Number() reads these as 16, 3, 8 and 0: a typo must not become a value
    for (const v of ['0x10', '0b11', '0o10', '', '  ', '1_000', '1e', '.']) expect(() => parseKnob('mtu', v), v).toThrow(/knob "mtu".*expected a number/);
    expect(parseKnob('link_mbps', ' 1e3 ')).toBe(1000);
    expect(parseKnob('cpu_ghz', '.5')).toBe(0.5);
    expect(parseKnob('cpu_ghz', '+2.')).toBe(2);
    expect(() => parseKnob('nosuch', 1)).toThrow(ParamError);
    expect(() => parseSetArgs(['mtu'])).toThrow(/key=value/);
  });

  it('every knob has a spec with unit and doc, and defaults pass validation', () => {
    for (const s of PARAM_SPECS) {
      expect(s.doc.length).toBeGreaterThan(5);
      expect(() => parseKnob(s.name, DEFAULT_PARAMS[s.name])).not.toThrow();
    }
    expect(Object.keys(DEFAULT_PARAMS).sort()).toEqual(PARAM_SPECS.map((s) => s.name).sort());
  });

  it('overrides do not depend on key order', () => {
    const a = applyOverrides(DEFAULT_PARAMS, { mtu: '9000', lro: 'off' });
    const b = applyOverrides(DEFAULT_PARAMS, { lro: 'off', mtu: '9000' });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});

describe('presets are the shared set plus switches only', () => {
  it('differ from LRO only in mechanism switches', () => {
    const switches = new Set(['lro', 'flush_policy', 'flush_every_polls', 'bridge_copy', 'receiver']);
    const lro = presetParams('LRO');
    for (const system of Object.keys(SYSTEM_SWITCHES) as Array<keyof typeof SYSTEM_SWITCHES>) {
      const p = presetParams(system);
      for (const s of PARAM_SPECS) {
        if (!switches.has(s.name)) expect(p[s.name], `${system}.${s.name}`).toEqual(lro[s.name]);
      }
    }
  });
});
