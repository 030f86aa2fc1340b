import { describe, expect, it } from 'vitest';
import type { StoredRun } from '../../../core/contract/index.js';
import { cellValue, chartDataRows, csvRows, runIdsOf, runsCsv, tablesCsv } from './exports.js';

describe('notebook CSV downloads (quoting shared with the backend, core/contract/csv.ts)', () => {
  it('tables: shown numbers stay numbers, negative ones too; formula-like text is defused', () => {
    const csv = tablesCsv([
      {
        title: 'Table IV, throughput',
        columns: ['System', 'Paper', 'Δ sim'],
        rows: [
          ['DA', '-12.5', '+1.2 %'],
          ['=cmd|calc', '1.23e-4', '−2.3 %'],
          ['-1+cmd|calc', '533 ± 4.1', '—'],
        ],
      },
    ]);
    expect(csv).toBe(
      '"Table IV, throughput"\r\nSystem,Paper,Δ sim\r\nDA,-12.5,\'+1.2 %\r\n\'=cmd|calc,0.000123,−2.3 %\r\n\'-1+cmd|calc,533 ± 4.1,—\r\n',
    );
  });

  it('tells numbers from text exactly', () => {
    for (const n of ['0', '-0.5', '12', '3.', '.5', '1e6', '-4.2E-3']) expect(typeof cellValue(n)).toBe('number');
    for (const t of ['', '-', '1,234', '0x10', 'Infinity', '1 ', '5 (n=1)', '-1+1', '1e', '--1']) expect(cellValue(t)).toBe(t);
  });

  it('chart data and runs', () => {
    expect(csvRows([['series', 'x', 'y', 'error'], ['DA "x"', 1, -2.5, null], ['s', 'LRO', Number.NaN, undefined]])).toBe(
      'series,x,y,error\r\n"DA ""x""",1,-2.5,\r\ns,LRO,,\r\n',
    );
    const run: StoredRun = {
      id: 7,
      kind: 'simulated',
      system: 'DA',
      workload: 'stream',
      label: null,
      importedFileId: null,
      metrics: { throughput_mbps: 950.5, 'cycles_per_byte.driver': null, delta: -3 },
      detail: null,
      provenance: { appVersion: '0.1.0', modelVersion: 'm1', parameters: {}, seed: 1, inputSha256: null, createdAt: 't' },
    };
    expect(runsCsv([run])).toBe(
      'run_id,kind,system,workload,seed,model_version,app_version,input_sha256,cycles_per_byte.driver,delta,throughput_mbps\r\n7,simulated,DA,stream,1,m1,0.1.0,,,-3,950.5\r\n',
    );
    expect(runIdsOf({ runIds: [1, 2], groups: [{ runIds: [2, 3] }] }).sort()).toEqual([1, 2, 3]);
  });
});

describe('chart data CSV', () => {
  it('gives one row per point of line and bar charts, with the error bar', () => {
    expect(chartDataRows([{ name: 'held out', x: [2, 0.01], y: ['V DA driver', 'VI DA LRO rate'], customdata: [-6, null], meta: { csvColumns: ['error_pct'] } }])).toEqual([
      ['series', 'x', 'y', 'error', 'error_pct'],
      ['held out', 2, 'V DA driver', '', -6],
      ['held out', 0.01, 'VI DA LRO rate', '', ''],
    ]);
    expect(chartDataRows([{ name: 'Paper', x: ['Xen', 'LRO'], y: [535.9, 577.2], error_y: { array: [0.1, 1.9] } }])).toEqual([
      ['series', 'x', 'y', 'error'],
      ['Paper', 'Xen', 535.9, 0.1],
      ['Paper', 'LRO', 577.2, 1.9],
    ]);
    // a list per point fills several named columns (the profile lines)
    expect(chartDataRows([{ name: 'pirq', x: [0.5, 1], y: [142.1, 99], customdata: [[16, 25, 'V DA driver'], [20, 25, 'none']], meta: { csvColumns: ['cells_inside', 'cells', 'outside_tolerance'] } }])).toEqual([
      ['series', 'x', 'y', 'error', 'cells_inside', 'cells', 'outside_tolerance'],
      ['pirq', 0.5, 142.1, '', 16, 25, 'V DA driver'],
      ['pirq', 1, 99, '', 20, 25, 'none'],
    ]);
  });

  it('gives the named numbers of each heatmap cell when it carries them (the Morris heatmap: μ*, μ, σ, n)', () => {
    expect(
      chartDataRows([{ x: ['stack'], y: ['V DA driver', 'V Xen driver'], z: [[0.46], [null]], customdata: [[[0.46, 0.46, 0.1, 8]], [null]], meta: { csvColumns: ['mu_star', 'mu', 'sigma', 'n'] } }]),
    ).toEqual([
      ['series', 'x', 'y', 'mu_star', 'mu', 'sigma', 'n'],
      ['', 'stack', 'V DA driver', 0.46, 0.46, 0.1, 8],
      ['', 'stack', 'V Xen driver', '', '', '', ''],
    ]);
  });

  it('gives one row per cell of a heatmap, with its value (not x and y paired by index)', () => {
    expect(chartDataRows([{ x: ['stack', 'pirq'], y: ['V Xen driver', 'V DA driver'], z: [[0.75, -0.07], [0.53, null]] }])).toEqual([
      ['series', 'x', 'y', 'value'],
      ['', 'stack', 'V Xen driver', 0.75],
      ['', 'pirq', 'V Xen driver', -0.07],
      ['', 'stack', 'V DA driver', 0.53],
      ['', 'pirq', 'V DA driver', ''],
    ]);
  });
});
