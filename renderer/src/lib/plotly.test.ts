import { describe, expect, it } from 'vitest';
import { integerTicks, isCategorical, needsResize, SERIES_COLORS, seriesLine, themed, themedTraces } from './plotly.js';
import { compareChart } from './compare.js';
import { overTimeChart } from './import-charts.js';
// eslint-disable-next-line @typescript-eslint/no-restricted-imports -- parity test only: a repeated colour must be dashed on screen as on paper
import { dash as pdfDash } from '../../../core/report/svg.js';

const LIGHT = { fg: '#1b1f24', muted: '#5b6470', grid: '#d6dae0', accent: '#1f6feb' };
const DARK = { fg: '#e6e9ee', muted: '#9aa4b2', grid: '#343a44', accent: '#4c8dff' };

describe('integer axes', () => {
  it('a tick at every integer only over a small span', () => {
    expect(integerTicks([1, 2, 3, 4])).toEqual({ dtick: 1 });
    // 8192…16384 with dtick 1 asked Plotly for 8,000 ticks (the page froze ~10 s per chart)
    expect(integerTicks([8192, 16384])).toEqual({});
    expect(integerTicks([1, 2.5])).toEqual({});
    expect(integerTicks([3])).toEqual({});
    expect(integerTicks(['LRO', 'DA'])).toEqual({});
  });
});

describe('series past the eighth colour', () => {
  it('repeat the palette dashed, then dotted, then solid again', () => {
    expect([0, 7, 8, 15, 16, 23, 24].map((k) => seriesLine(k))).toEqual([
      { color: SERIES_COLORS[0], dash: 'solid' },
      { color: SERIES_COLORS[7], dash: 'solid' },
      { color: SERIES_COLORS[0], dash: 'dash' },
      { color: SERIES_COLORS[7], dash: 'dash' },
      { color: SERIES_COLORS[0], dash: 'dot' },
      { color: SERIES_COLORS[7], dash: 'dot' },
      { color: SERIES_COLORS[0], dash: 'solid' },
    ]);
  });

  it('are styled as the PDF report styles them', () => {
    const asPdf = { solid: null, dash: '6 3', dot: '1.5 2.5' } as const;
    for (let k = 0; k < 40; k++) expect(asPdf[seriesLine(k).dash], `series ${k}`).toBe(pdfDash(k));
  });

  it('a flent RRUL file\'s 13 throughput series are told apart: "TCP download BE" and "TCP upload BE2" no longer look the same', () => {
    const names = ['TCP download BE', 'TCP download BE2', 'TCP download BE3', 'TCP download BE4', 'TCP download avg', 'TCP download sum', 'TCP totals', 'TCP upload BE', 'TCP upload BE2', 'TCP upload BE3', 'TCP upload BE4', 'TCP upload avg', 'TCP upload sum'];
    const chart = overTimeChart('Mbit/s', names.map((name) => ({ name, t: [0, 1], v: [1, 2] })));
    const styles = chart.data.map((t) => JSON.stringify(t['line']));
    expect(new Set(styles).size).toBe(names.length);
    const line = (name: string): unknown => chart.data.find((t) => t['name'] === name)?.['line'];
    expect(line('TCP download BE')).toEqual({ color: '#1f77b4', dash: 'solid' });
    expect(line('TCP upload BE2')).toEqual({ color: '#1f77b4', dash: 'dash' });
  });
});

describe('charts in the app\'s theme', () => {
  it('no gridline at a category\'s centre (it looked like a whisker above the bars); numeric axes keep theirs', () => {
    const bars = compareChart({ id: 'IV', title: 'Table IV', unit: 'Mbit/s', rows: [{ label: 'Xen', paper: 535.9, sim: { mean: 546, lo: 545, hi: 547, halfWidth: 1, n: 3 }, measured: null, dSim: 2, dMeasured: null, simVsMeasured: null }] } as unknown as Parameters<typeof compareChart>[0]);
    const l = themed(bars.layout, bars.data, LIGHT);
    expect((l['xaxis'] as Record<string, unknown>)['showgrid']).toBe(false);
    expect((l['yaxis'] as Record<string, unknown>)['showgrid']).toBeUndefined();
    const line = themed({}, [{ type: 'scatter', x: [1, 2], y: [3, 4] }], LIGHT);
    expect((line['xaxis'] as Record<string, unknown>)['showgrid']).toBeUndefined();
    // horizontal bars: the categories are on y
    expect(isCategorical([{ type: 'bar', orientation: 'h', x: [1], y: ['IV Xen'] }], {}, 'y')).toBe(true);
    expect(isCategorical([{ x: ['1', '2.5'] }], {}, 'x')).toBe(false);
    expect(isCategorical([{ x: [1, 2] }], { xaxis: { type: 'category' } }, 'x')).toBe(true);
    // a chart's own choice stands
    expect((themed({ xaxis: { showgrid: true } }, [{ x: ['a'] }], LIGHT)['xaxis'] as Record<string, unknown>)['showgrid']).toBe(true);
  });

  it('a bar\'s error bars take the theme\'s text colour (Plotly\'s #444 nearly vanished on dark); a scatter\'s keep its line\'s', () => {
    const data = [
      { type: 'bar', name: 'Simulated', error_y: { type: 'data', array: [1], visible: true } },
      { type: 'bar', name: 'Own', error_y: { type: 'data', array: [1], color: 'red' } },
      { type: 'scatter', name: 'Sweep', error_y: { type: 'data', array: [1] } },
      { type: 'bar', name: 'Paper' },
    ];
    const [sim, own, sweep, paper] = themedTraces(data, DARK) as Record<string, Record<string, unknown>>[];
    expect(sim?.['error_y']?.['color']).toBe(DARK.fg);
    expect((themedTraces(data, LIGHT)[0] as Record<string, Record<string, unknown>>)['error_y']?.['color']).toBe(LIGHT.fg);
    expect(own?.['error_y']?.['color']).toBe('red');
    expect(sweep?.['error_y']?.['color']).toBeUndefined();
    expect(paper?.['error_y']).toBeUndefined();
    expect(data[0]?.error_y).not.toHaveProperty('color'); // the cell's own data is not changed
  });

  it('a title sits below the band the modebar shows in, the plot keeping its height', () => {
    const l = themed({ title: { text: 'Distribution of the request/response time (netperf histogram)' }, margin: { t: 40, r: 10, b: 80, l: 60 }, height: 340 }, [], LIGHT);
    const m = l['margin'] as Record<string, number>;
    expect(m['t']).toBeGreaterThanOrEqual(64);
    expect((l['height'] as number) - m['t']!).toBe(340 - 40); // plot area + bottom margin unchanged
    const title = l['title'] as Record<string, unknown>;
    expect(title['text']).toBe('Distribution of the request/response time (netperf histogram)');
    // its centre 38 px from the top: under the ~26 px modebar, above the plot
    expect(Math.round((1 - (title['y'] as number)) * (l['height'] as number))).toBe(38);
    // no title, no band
    expect(themed({ margin: { t: 10, r: 10, b: 40, l: 60 }, height: 220 }, [], LIGHT)).toMatchObject({ margin: { t: 10 }, height: 220 });
    // a heatmap with its x axis on top keeps Plotly's placement (its margin holds the tick labels)
    expect(themed({ title: { text: 'Elasticity' }, xaxis: { side: 'top' }, margin: { t: 110 }, height: 300 }, [], LIGHT)).toMatchObject({ margin: { t: 110 }, height: 300, title: { text: 'Elasticity' } });
  });
});

describe('a chart follows its container', () => {
  it('is resized when the container\'s width and the drawn width differ, not before it is drawn or while hidden', () => {
    expect(needsResize(646, 1026)).toBe(true);
    expect(needsResize(1026, 530)).toBe(true);
    expect(needsResize(646, 646.4)).toBe(false);
    expect(needsResize(646, undefined)).toBe(false);
    expect(needsResize(0, 1026)).toBe(false);
  });
});
