import { describe, expect, it } from 'vitest';
import type { StoredRun } from '../../../core/contract/index.js';
import { cellValue, chartDataRows, csvData, csvRows, runIdsOf, runsCsv, tablesCsv, tablesIn } from './exports.js';

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
    // a column of signed percentages goes out as plain numbers, + and − alike, under a header that says %
    expect(csv).toBe('"Table IV, throughput"\r\nSystem,Paper,Δ sim (%)\r\nDA,-12.5,1.2\r\n\'=cmd|calc,0.000123,-2.3\r\n\'-1+cmd|calc,533 ± 4.1,\r\n');
    // text that only starts like one stays text (defused)
    expect(tablesCsv([{ title: 't', columns: ['Sim vs meas'], rows: [['+2.4 % [+1.1, +3.7]'], ['+1.0 %']] }])).toBe('t\r\nSim vs meas\r\n"\'+2.4 % [+1.1, +3.7]"\r\n\'+1.0 %\r\n');
  });

  it('tables: the values the cells give (data-csv) at full precision, an interval as mean, half-width and n', () => {
    expect(csvData('Simulated mean', 1049.1234567, undefined, Number.NaN, null)).toBe('["Simulated mean",1049.1234567,null,null,null]');
    const csv = tablesCsv([
      {
        title: 'Table IV — TCP_STREAM throughput',
        columns: ['System', 'Measured', 'Δ meas'],
        rows: [
          ['Xen', '1000 ± 4000', '+2.0 %'],
          ['=DA', '690 (n=1)', '−2.0 %'],
        ],
        values: {
          columns: ['System', 'Measured mean', 'Measured 95 % half-width', 'Measured n', 'Δ meas (%)'],
          rows: [
            ['Xen', 1049.1, 3984.123456, 3, 2.0000001],
            ['=DA', 690, null, 1, -2],
          ],
        },
      },
    ]);
    expect(csv).toBe(
      'Table IV — TCP_STREAM throughput\r\nSystem,Measured mean,Measured 95 % half-width,Measured n,Δ meas (%)\r\nXen,1049.1,3984.123456,3,2.0000001\r\n\'=DA,690,,1,-2\r\n',
    );
  });

  it('tables: reads the data-csv of the cells shown, a header\'s giving the columns its cells fill', () => {
    // the few DOM calls tablesIn makes, on plain objects (the unit tests run without a DOM)
    type Cell = [string, string?];
    const el = ([text, csv]: Cell) => ({ textContent: text, getAttribute: (n: string) => (n === 'data-csv' ? (csv ?? null) : null) });
    const table = (caption: string, head: Cell[], body: Cell[][]) => {
      const headRow = { children: head.map(el) };
      const rows = body.map((r) => ({ children: r.map(el) }));
      const marked = [...head, ...body.flat()].some((c) => c[1] !== undefined);
      return {
        caption: { textContent: caption },
        previousElementSibling: null,
        querySelectorAll: (q: string) => (q === 'thead tr' ? [headRow] : q === 'tbody tr' ? rows : []),
        querySelector: (q: string) => (q === '[data-csv]' ? (marked ? {} : null) : q === 'tr' ? headRow : null),
      };
    };
    const sim = csvData('Simulated mean', 'Simulated 95 % half-width', 'Simulated n');
    const root = {
      querySelectorAll: () => [
        table(
          'Table IV',
          [['System'], ['Simulated', sim], ['Δ sim', csvData('Δ sim (%)')]],
          [
            [['Xen'], ['1000 ± 4000', csvData(1049.1, 3984.1, 3)], ['+2.0 %', csvData(2.04)]],
            [['DA'], ['721 (n=1)', csvData(721, null, 1)], ['−2.0 %', csvData(-1.96)]],
            [['LRO'], ['—'], ['—', csvData(null)]],
          ],
        ),
        table('Plain', [['A'], ['B']], [[['x'], ['1.5']]]),
      ],
    } as unknown as HTMLElement;
    const tables = tablesIn(root);
    expect(tables[0]).toEqual({
      title: 'Table IV',
      columns: ['System', 'Simulated', 'Δ sim'],
      rows: [
        ['Xen', '1000 ± 4000', '+2.0 %'],
        ['DA', '721 (n=1)', '−2.0 %'],
        ['LRO', '—', '—'],
      ],
      values: {
        columns: ['System', 'Simulated mean', 'Simulated 95 % half-width', 'Simulated n', 'Δ sim (%)'],
        rows: [
          ['Xen', 1049.1, 3984.1, 3, 2.04],
          ['DA', 721, null, 1, -1.96],
          ['LRO', '—', null, null, null],
        ],
      },
    });
    expect(tables[1]).toEqual({ title: 'Plain', columns: ['A', 'B'], rows: [['x', '1.5']] });
    expect(tablesCsv(tables)).toBe(
      'Table IV\r\nSystem,Simulated mean,Simulated 95 % half-width,Simulated n,Δ sim (%)\r\nXen,1049.1,3984.1,3,2.04\r\nDA,721,,1,-1.96\r\nLRO,—,,,\r\n\r\nPlain\r\nA,B\r\nx,1.5\r\n',
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
