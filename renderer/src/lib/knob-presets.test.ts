import { describe, expect, it } from 'vitest';
import type { KnobSpec } from '../../../core/contract/index.js';
import { initialKnobValue, presetsDiffer, shortForGuests } from './knob-presets.js';

const spec = (name: string, presets: KnobSpec['presets']): KnobSpec => ({ name, kind: 'number', unit: '', doc: '', default: presets.LRO, presets });
const SPECS: KnobSpec[] = [
  spec('duration_s', { Linux: 0.15, Xen: 0.15, LRO: 0.15, BO: 0.15, DA: 0.15 }),
  spec('flush_every_polls', { Linux: 1, Xen: 1, LRO: 1, BO: 1, DA: 2 }),
  spec('lro', { Linux: false, Xen: false, LRO: true, BO: true, DA: true }),
];

describe('a knob added to a Simulation or Sweep cell starts at the value the run would use', () => {
  it('is the knob’s value in the cell’s system’s preset (sim.knobs presets), switches as on/off', () => {
    expect(initialKnobValue('duration_s', SPECS, 'DA')).toBe('0.15');
    expect(initialKnobValue('flush_every_polls', SPECS, 'DA')).toBe('2');
    expect(initialKnobValue('lro', SPECS, 'Xen')).toBe('off');
    expect(initialKnobValue('lro', SPECS, 'BO')).toBe('on');
  });
  it('without a system, LRO’s preset; without the specs, the first option or the minimum (the old start)', () => {
    expect(initialKnobValue('flush_every_polls', SPECS)).toBe('1');
    expect(initialKnobValue('mtu', undefined, 'DA')).toBe('576');
    expect(initialKnobValue('flush_policy', undefined, 'DA')).toBe('every-poll');
  });
});

describe('a knob set for several systems at once', () => {
  it('is flagged when their presets differ (one value makes them alike), not when they agree', () => {
    expect(presetsDiffer('lro', SPECS, ['Xen', 'LRO', 'DA'])).toBe('Xen off, LRO on, DA on');
    expect(presetsDiffer('flush_every_polls', SPECS, ['LRO', 'DA'])).toBe('LRO 1, DA 2');
    expect(presetsDiffer('duration_s', SPECS, ['Linux', 'Xen', 'LRO', 'BO', 'DA'])).toBeNull();
    expect(presetsDiffer('lro', SPECS, ['LRO'])).toBeNull();
    expect(presetsDiffer('lro', undefined, ['Xen', 'LRO'])).toBeNull();
  });
});

describe('busy guests over a short window', () => {
  it('are flagged under 1 s of measured time (the preset 0.15 s included), not with none or a long window', () => {
    expect(shortForGuests({ guests: '2' }, SPECS, 'Xen')).toBe(true);
    expect(shortForGuests({ guests: '2', duration_s: '2' }, SPECS, 'Xen')).toBe(false);
    expect(shortForGuests({ guests: '0' }, SPECS, 'Xen')).toBe(false);
    expect(shortForGuests({ duration_s: '0.1' }, SPECS, 'Xen')).toBe(false);
  });
});
