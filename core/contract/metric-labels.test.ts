import { describe, expect, test } from 'vitest';
import { PARAM_SPECS, PARAM_SPEC_BY_NAME } from '../sim/params.js';
import { knobAxisLabel, knobMeaning, metricLabel, sweepAxisLabel, sweepKnobSpec } from './metric-labels.js';

const spec = (name: string): { unit: string; doc: string; short?: string } => {
  const s = PARAM_SPEC_BY_NAME.get(name);
  if (!s) throw new Error(`no knob ${name}`);
  return { unit: s.unit, doc: s.doc, ...(s.short === undefined ? {} : { short: s.short }) };
};

describe('a knob as an axis title', () => {
  test('name, short meaning and unit from the knob spec', () => {
    expect(knobAxisLabel('flush_every_polls', spec('flush_every_polls'))).toBe('flush_every_polls — flush at the k-th poll end (polls)');
    expect(knobAxisLabel('flush_timeout_us', spec('flush_timeout_us'))).toBe('flush_timeout_us — aggregate age that triggers a flush (µs)');
    // the doc's opening clause where it reads as a meaning
    expect(knobAxisLabel('mtu', spec('mtu'))).toBe('mtu — link MTU (bytes)');
    expect(knobAxisLabel('message_bytes', spec('message_bytes'))).toBe('message_bytes — netperf send() size (bytes)');
    // no unit: no parentheses
    expect(knobAxisLabel('flush_policy', spec('flush_policy'))).toBe('flush_policy — when held LRO aggregates are flushed');
  });

  test('a doc whose opening clause is too long to be a short meaning gives the name and unit alone', () => {
    expect(knobMeaning('a very long description that goes on and on about what the knob does')).toBe('');
    expect(knobAxisLabel('some_knob', { unit: 'µs', doc: 'a very long description that goes on and on about what the knob does' })).toBe('some_knob (µs)');
    expect(knobAxisLabel('some_knob', { unit: '', doc: '' })).toBe('some_knob');
  });

  test('every knob a sweep varies along an axis (numbers and choices) gets a short meaning', () => {
    for (const s of PARAM_SPECS.filter((x) => x.kind !== 'switch')) {
      const m = knobMeaning(s.doc, s.short);
      expect(m, s.name).not.toBe('');
      expect(m.length, s.name).toBeLessThanOrEqual(48);
    }
  });

  test('a sweep stored before knobs carried `short` takes the doc’s opening clause, or the name and unit', () => {
    const { unit, doc } = spec('flush_timeout_us');
    expect(sweepAxisLabel({ varySpecs: { flush_timeout_us: { unit, doc } } }, 'flush_timeout_us')).toBe('flush_timeout_us (µs)');
    expect(sweepAxisLabel({ varySpecs: { mtu: { unit: 'bytes', doc: spec('mtu').doc } } }, 'mtu')).toBe('mtu — link MTU (bytes)');
  });

  test('without a spec, the bare name', () => {
    expect(knobAxisLabel('flush_every_polls', undefined)).toBe('flush_every_polls');
    expect(knobAxisLabel('flush_every_polls', null)).toBe('flush_every_polls');
  });
});

describe('a sweep output\'s knob specs, read defensively', () => {
  const good = { varySpecs: { flush_every_polls: spec('flush_every_polls') } };

  test('a sweep as sweep.run returns it', () => {
    expect(sweepKnobSpec(good, 'flush_every_polls')).toEqual(spec('flush_every_polls'));
    expect(sweepAxisLabel(good, 'flush_every_polls')).toBe('flush_every_polls — flush at the k-th poll end (polls)');
  });

  test('outputs stored before the field, older .rxnb files and damaged outputs fall back to the bare name', () => {
    const bad: unknown[] = [
      null,
      undefined,
      'sweep',
      [],
      {},
      { varySpecs: null },
      { varySpecs: 'polls' },
      { varySpecs: [spec('flush_every_polls')] },
      { varySpecs: { mtu: spec('mtu') } }, // another knob's
      { varySpecs: { flush_every_polls: null } },
      { varySpecs: { flush_every_polls: 'polls' } },
      { varySpecs: { flush_every_polls: { unit: 'polls' } } },
      { varySpecs: { flush_every_polls: { unit: 5, doc: 'k' } } },
      { varySpecs: { flush_every_polls: { unit: 'polls', doc: 'two\nlines' } } },
      { varySpecs: { flush_every_polls: { unit: '<b>polls</b>', doc: 'k' } } },
      { varySpecs: { flush_every_polls: { unit: 'x'.repeat(41), doc: 'k' } } },
    ];
    for (const out of bad) expect(sweepAxisLabel(out, 'flush_every_polls'), JSON.stringify(out) ?? 'undefined').toBe('flush_every_polls');
    // a damaged `short` is left out; the doc's opening clause stands in
    expect(sweepAxisLabel({ varySpecs: { flush_every_polls: { unit: 'polls', doc: 'k for every-k', short: '<b>k</b>' } } }, 'flush_every_polls')).toBe('flush_every_polls — k for every-k (polls)');
    // not the prototype's properties either
    expect(sweepKnobSpec({ varySpecs: {} }, 'constructor')).toBeNull();
  });
});

test('metric labels carry their units', () => {
  expect(metricLabel('throughput_mbps')).toBe('Throughput (Mbit/s)');
  expect(metricLabel('no_such_metric')).toBe('no_such_metric');
});
