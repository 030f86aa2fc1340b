import { describe, expect, test } from 'vitest';
import type { StoredRun } from '../contract/index.js';
import { csvField, runsToCsv, runsToJson, tableToCsv, tableToJson, toCsv } from './csv.js';

const run = (id: number, metrics: Record<string, number | null>, label: string | null = null): StoredRun => ({
  id,
  kind: 'simulated',
  system: 'Xen',
  workload: 'stream',
  label,
  importedFileId: null,
  metrics,
  detail: null,
  provenance: { appVersion: '0.1.0', modelVersion: 'm1', parameters: { b: 2, a: 'x,y' }, seed: 7, inputSha256: null, createdAt: '2026-01-01T00:00:00.000Z' },
});

describe('CSV escaping', () => {
  test('quotes commas, quotes and newlines (RFC 4180)', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField(' padded ')).toBe('" padded "');
  });
  test('empty for null/NaN; numbers stay numbers, negative ones too', () => {
    expect(csvField(null)).toBe('');
    expect(csvField(Number.NaN)).toBe('');
    expect(csvField(-1.5)).toBe('-1.5');
    expect(csvField(1e-7)).toBe('1e-7');
  });
  test('text a spreadsheet would run as a formula is defused', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-2')).toBe("'-2");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
  });
  test('rows end with CRLF', () => {
    expect(toCsv(['a', 'b'], [[1, 'x'], [null, 'y,z']])).toBe('a,b\r\n1,x\r\n,"y,z"\r\n');
  });
});

describe('run and table exports', () => {
  test('runs CSV: provenance columns, then the union of metrics sorted', () => {
    const csv = runsToCsv([run(1, { throughput_mbps: 533.1, 'cycles_per_byte.total': 23.1 }, 'a "quoted", label'), run(2, { lro_rate: 1 })]);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('run_id,kind,system,workload,label,app_version,model_version,seed,input_sha256,imported_file_id,created_at,parameters,cycles_per_byte.total,lro_rate,throughput_mbps');
    expect(lines[1]).toBe('1,simulated,Xen,stream,"a ""quoted"", label",0.1.0,m1,7,,,2026-01-01T00:00:00.000Z,"{""a"":""x,y"",""b"":2}",23.1,,533.1');
    expect(lines[2]?.endsWith(',1,')).toBe(true);
  });
  test('runs JSON has sorted keys and is stable', () => {
    const a = runsToJson([run(1, { z: 1, a: 2 })]);
    expect(a).toBe(runsToJson([run(1, { a: 2, z: 1 })]));
    expect(a.indexOf('"a"')).toBeLessThan(a.indexOf('"z"'));
    expect(JSON.parse(a)[0].metrics).toEqual({ a: 2, z: 1 });
  });
  test('table CSV/JSON', () => {
    const t = { id: 't', title: 'T', columns: ['System', 'Paper'], rows: [['Xen', 535.9], ['Linux, native', null]] };
    expect(tableToCsv(t)).toBe('System,Paper\r\nXen,535.9\r\n"Linux, native",\r\n');
    expect(JSON.parse(tableToJson(t)).rows).toEqual([{ System: 'Xen', Paper: 535.9 }, { System: 'Linux, native', Paper: null }]);
  });
});
