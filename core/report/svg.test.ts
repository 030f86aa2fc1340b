import { describe, expect, test } from 'vitest';
import { decimateMinMax } from './decimate.js';
import { niceTicks, renderChart } from './svg.js';

describe('decimation', () => {
  test('short series are untouched', () => {
    const pts = [{ x: 0, y: 1 }, { x: 1, y: 2 }];
    expect(decimateMinMax(pts, 10)).toEqual({ points: pts, decimated: false });
  });
  test('keeps min and max of every bucket, in x order, at most maxPoints', () => {
    const pts = Array.from({ length: 100_000 }, (_, i) => ({ x: i, y: Math.sin(i / 100) + (i === 54_321 ? 10 : 0) }));
    const d = decimateMinMax(pts, 5000);
    expect(d.decimated).toBe(true);
    expect(d.points.length).toBeLessThanOrEqual(5000);
    expect(d.points.some((p) => p.y > 9)).toBe(true); // the spike survives
    for (let i = 1; i < d.points.length; i++) expect((d.points[i]?.x ?? 0) >= (d.points[i - 1]?.x ?? 0)).toBe(true);
  });
});

describe('charts', () => {
  test('nice ticks cover the range', () => {
    expect(niceTicks(0, 747.5)).toEqual([0, 200, 400, 600, 800]);
    const t = niceTicks(3.3, 3.3);
    expect(t[0]).toBeLessThan(3.3);
    expect(t[t.length - 1]).toBeGreaterThan(3.3);
  });
  test('bar chart: vector SVG, escaped labels, error bars, no script', () => {
    const { svg } = renderChart({ type: 'bar', title: 'T <script>x</script>', yLabel: 'Mbit/s', categories: ['Xen', 'DA'], series: [{ name: 'Paper', values: [535.9, 747.5] }, { name: 'Sim', values: [533, null], lo: [530, null], hi: [536, null] }] });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).not.toMatch(/<script/i);
    expect(svg).toContain('T &lt;script&gt;');
    expect((svg.match(/<rect /g) ?? []).length).toBeGreaterThanOrEqual(4);
  });
  test('line chart with 20k points reports decimation and stays small', () => {
    const r = renderChart({ type: 'line', title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 's', points: Array.from({ length: 20_000 }, (_, i) => ({ x: i, y: i % 7 })) }] });
    expect(r.decimation).toMatch(/20,000 points drawn as [\d,]+/);
    expect(r.svg.length).toBeLessThan(120_000);
  });
  test('a long legend wraps into rows and the picture grows to hold them; series past the eighth colour are dashed', () => {
    const series = Array.from({ length: 13 }, (_, i) => ({ name: `TCP download BE${i}`, points: [{ x: 0, y: i }, { x: 1, y: i + 1 }] }));
    const { svg } = renderChart({ type: 'line', title: 't', xLabel: 'x', yLabel: 'y', series });
    const height = Number(/height="(\d+)"/.exec(svg)?.[1]);
    expect(height).toBeGreaterThan(320);
    // every name is drawn inside the picture
    const xs = [...svg.matchAll(/<text x="([\d.]+)" y="[\d.]+" font-size="11">TCP download/g)].map((m) => Number(m[1]));
    expect(xs).toHaveLength(13);
    for (const x of xs) expect(x + 'TCP download BE12'.length * 6.1).toBeLessThanOrEqual(640);
    expect((svg.match(/stroke-dasharray="6 3"/g) ?? []).length).toBe(2 * 5); // 5 series (8–12), each its line and its legend sample
    const one = renderChart({ type: 'line', title: 't', xLabel: 'x', yLabel: 'y', series: series.slice(0, 2) }).svg;
    expect(one).toContain('height="320"');
  });
  test('a log x axis: a tick per decade labelled with its value, steps drawn along then up, x ≤ 0 left out', () => {
    const { svg } = renderChart({ type: 'line', title: 't', xLabel: 'µs', yLabel: '%', xLog: true, series: [{ name: 'cdf', step: true, markers: false, points: [{ x: 0, y: 0 }, { x: 100, y: 0 }, { x: 200, y: 97 }, { x: 20000, y: 100 }] }] });
    const ticks = [...svg.matchAll(/font-size="10" text-anchor="middle">([^<]+)</g)].map((m) => m[1]);
    expect(ticks).toEqual(['100', '1000', '10000', '100000']);
    const path = /<path d="(M[^"]+)" fill="none"/.exec(svg)?.[1] ?? '';
    expect(path).toMatch(/^M[\d.]+ [\d.]+(H[\d.]+V[\d.]+){2}$/); // three points (x = 0 dropped): two steps
  });
  test('a log x axis over less than a decade: 1-2-5 steps from just below the data to just above it', () => {
    const ticks = (xs: number[]): (string | undefined)[] => {
      const { svg } = renderChart({ type: 'line', title: 't', xLabel: '×', yLabel: 'objective', xLog: true, series: [{ name: 'pirq', points: xs.map((x, i) => ({ x, y: i })) }] });
      return [...svg.matchAll(/font-size="10" text-anchor="middle">([^<]+)</g)].map((m) => m[1]);
    };
    expect(ticks([0.5, Math.SQRT1_2, 1, Math.SQRT2, 2])).toEqual(['0.5', '1', '2']);
    expect(ticks([0.7, 1.4])).toEqual(['0.5', '1', '2']);
    expect(ticks([120, 900])).toEqual(['100', '200', '500', '1000']);
    expect(ticks([1])).toEqual(['1', '2']);
  });
  test('empty and non-finite input does not throw', () => {
    expect(() => renderChart({ type: 'line', title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 's', points: [{ x: Number.NaN, y: 1 }] }] })).not.toThrow();
    expect(() => renderChart({ type: 'bar', title: 't', yLabel: 'y', categories: [], series: [] })).not.toThrow();
  });
});

describe('line charts as the app draws them', () => {
  const wobble = [{ x: 0, y: 80.6 }, { x: 1, y: 79.8 }, { x: 2, y: 81.4 }];
  const yTicks = (svg: string): string[] => [...svg.matchAll(/text-anchor="end">([^<]*)</g)].map((m) => m[1] ?? '');
  test('an over-time chart starts its y axis at zero (rangemode "tozero"): a ±1 % wobble is not drawn as a collapse', () => {
    const { svg } = renderChart({ type: 'line', title: 't', xLabel: 's', yLabel: 'Mbit/s', yToZero: true, series: [{ name: 'run', points: wobble }] });
    expect(yTicks(svg)[0]).toBe('0');
    // one that does not ask (a sweep, as the app's sweep chart) keeps its range
    expect(yTicks(renderChart({ type: 'line', title: 't', xLabel: 's', yLabel: 'Mbit/s', series: [{ name: 'run', points: wobble }] }).svg)[0]).toBe('79.5');
    // and a log x axis stays a log axis
    const log = renderChart({ type: 'line', title: 't', xLabel: '×', yLabel: 'objective', xLog: true, yToZero: true, series: [{ name: 'p', points: [{ x: 0.5, y: 80 }, { x: 1, y: 81 }, { x: 2, y: 82 }] }] }).svg;
    expect(yTicks(log)[0]).toBe('0');
    expect(log).toContain('>0.5</text>');
  });

  test('a legend name is printed whole up to most of a row, not cut at 40 characters', () => {
    const name = 'netperf-2.4.4-manual-tcp_rr-v2-histogram.txt #1 (request/response)';
    const { svg } = renderChart({ type: 'line', title: 't', xLabel: 'x', yLabel: 'y', series: [{ name, points: wobble }] });
    expect(svg).toContain(`>${name}</text>`);
    const long = 'x'.repeat(200);
    expect(renderChart({ type: 'line', title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: long, points: wobble }] }).svg).toMatch(/>x{85}…<\/text>/);
  });

  test('the paper\'s reference points (markers only) have a marker in the legend, not a line', () => {
    const { svg } = renderChart({ type: 'line', title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 'Simulated', points: wobble }, { name: 'Paper', points: wobble, line: false, markers: true, color: '#888888' }] });
    expect(svg).toMatch(/<circle cx="[\d.]+" cy="[\d.]+" r="3" fill="#888888"\/><text[^>]*>Paper<\/text>/);
  });
});
