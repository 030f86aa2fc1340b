import { afterAll, beforeAll, describe, expect, test } from 'vitest';
// a test may read the renderer (core's code may not): intervals must print as the app prints them
import { fmtInterval } from '../../renderer/src/lib/stats.js';
import { intervalText, summarize } from './stats.js';
import { buildReportModel } from './model.js';
import { renderChart, ROLE_COLORS } from './svg.js';
import { makeFixture, type Fixture } from './test-fixture.js';
import { getNotebook, saveCells } from '../store/notebooks.js';
import type { ReportModel } from './types.js';

describe('the report\'s figures look like the app\'s charts', () => {
  let f: Fixture;
  let model: ReportModel;
  beforeAll(() => {
    f = makeFixture();
    model = buildReportModel(f.service.db, f.notebookId);
  });
  afterAll(() => f.cleanup());

  test('the throughput-by-system figure draws its bars in those colours', () => {
    const fig = model.figures.find((x) => x.title === 'TCP_STREAM throughput by system');
    const svg = fig ? renderChart(fig.spec).svg : '';
    const fill = (series: string): string | undefined => new RegExp(`fill="(#[0-9a-f]{6})"><title>${series} Xen:`).exec(svg)?.[1];
    expect([fill('Paper'), fill('Simulated'), fill('Measured')]).toEqual([ROLE_COLORS.Paper, ROLE_COLORS.Simulated, ROLE_COLORS.Measured]);
  });

  test('sweep and plot figures are titled and labelled as the app labels them, not by internal names', () => {
    const sweep = model.figures.filter((x) => x.id.endsWith('-throughput_mbps') || x.id.endsWith('-flush_latency_us.mean'));
    expect(sweep.map((x) => x.title)).toEqual(['LRO: Throughput (Mbit/s)', 'LRO: Flush latency, mean (µs)']);
    // on x the knob with its meaning and unit, as the notebook's sweep chart titles it (sweepAxisLabel)
    expect(sweep.map((x) => x.spec.type === 'line' && [x.spec.xLabel, x.spec.yLabel])).toEqual([
      ['flush_every_polls — flush at the k-th poll end (polls)', 'Throughput (Mbit/s)'],
      ['flush_every_polls — flush at the k-th poll end (polls)', 'Flush latency, mean (µs)'],
    ]);
    // and so it is printed on the page
    const svg = sweep[0] ? renderChart(sweep[0].spec).svg : '';
    expect(svg).toContain('>flush_every_polls — flush at the k-th poll end (polls)</text>');
    const plot = model.figures.find((x) => x.title === 'Throughput (Mbit/s) vs flush_latency_us.mean');
    expect(plot?.spec.type === 'line' && [plot.spec.xLabel, plot.spec.yLabel]).toEqual(['Flush latency, mean (µs)', 'Throughput (Mbit/s)']);
  });

  test('a Plot cell that plots a sweep against its knob titles x as the sweep does', () => {
    const g = makeFixture();
    try {
      const nb = getNotebook(g.service.db, g.notebookId);
      const sweep = nb.cells.find((c) => c.kind === 'sweep');
      const spec = (sweep?.output as { varySpecs?: Record<string, unknown> } | null)?.varySpecs?.['flush_every_polls'];
      expect(spec).toBeTruthy();
      const output = { series: [{ name: 'LRO stream', x: [1, 2], y: [570, 730], err: [3, 4] }], xLabel: 'flush_every_polls', yLabel: 'throughput_mbps', sourceCellId: sweep?.id ?? null, ranAt: 't' };
      // as the notebook's Plot cell stores it (PlotOutput.varySpecs), and as a plot stored before it did
      for (const [varySpecs, want] of [[{ flush_every_polls: spec }, 'flush_every_polls — flush at the k-th poll end (polls)'], [undefined, 'flush_every_polls']] as const) {
        const plot = { id: '00000000-0000-4000-8000-00000000b10c', kind: 'plot' as const, config: {}, stale: false, output: { ...output, ...(varySpecs ? { varySpecs } : {}) } };
        saveCells(g.service.db, g.notebookId, [...nb.cells, plot]);
        const fig = buildReportModel(g.service.db, g.notebookId).figures.find((x) => x.id === `${plot.id}-plot`);
        expect(fig?.spec.type === 'line' && fig.spec.xLabel).toBe(want);
      }
    } finally {
      g.cleanup();
    }
  });
});

test('a sweep saved before sweeps carried their knobs\' specs (or with a damaged one) labels its axis with the knob\'s bare name', () => {
  const f = makeFixture();
  try {
    for (const varySpecs of [undefined, null, 'polls', { flush_every_polls: { unit: 3 } }, { flush_every_polls: { unit: 'polls', doc: 'x\ny' } }]) {
      const nb = getNotebook(f.service.db, f.notebookId);
      saveCells(f.service.db, f.notebookId, nb.cells.map((c) => (c.kind === 'sweep' ? { ...c, output: { ...(c.output as object), varySpecs } } : c)));
      const fig = buildReportModel(f.service.db, f.notebookId).figures.find((x) => x.id.endsWith('-throughput_mbps'));
      expect(fig?.spec.type === 'line' && fig.spec.xLabel).toBe('flush_every_polls');
    }
  } finally {
    f.cleanup();
  }
});

test('an interval prints as the app prints it: the mean to the decimal place of its rounded half-width', () => {
  for (const values of [[533.1, 538.2, 528.9], [713.02, 713.4, 712.9, 713.1], [5081, 5102, 5060], [0.0123, 0.0131, 0.0127], [20, 20.4, 19.7]]) {
    const s = summarize(values);
    expect(s && intervalText(s)).toBe(fmtInterval(s));
  }
});

test('a Plot figure counts the simulated points, and the paper\'s reference points apart from them', () => {
  const g = makeFixture();
  try {
    const nb = getNotebook(g.service.db, g.notebookId);
    const output = {
      series: [
        { name: 'LRO stream', x: [1, 2, 3, 4], y: [570, 727, 744, 748], err: [3, 5, 2, 1] },
        { name: 'Paper', x: [1, 2], y: [577.2, 747.5], paper: true },
      ],
      xLabel: 'flush_every_polls',
      yLabel: 'throughput_mbps',
      sourceCellId: null,
      ranAt: 't',
    };
    const plot = { id: '00000000-0000-4000-8000-00000000b10d', kind: 'plot' as const, config: {}, stale: false, output };
    saveCells(g.service.db, g.notebookId, [...nb.cells, plot]);
    const fig = buildReportModel(g.service.db, g.notebookId).figures.find((x) => x.id === `${plot.id}-plot`);
    // it read "6 points" for 4 simulated and the paper's 2
    expect(fig?.caption).toBe("4 simulated points; error bars: 95 % CI. Beside them, as markers: the paper's 2 reference points.");
  } finally {
    g.cleanup();
  }
});
