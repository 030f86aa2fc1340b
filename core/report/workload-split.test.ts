import { describe, expect, it } from 'vitest';
import type { StoredRun } from '../contract/index.js';
import { compareValues, runsBehind } from './paper-tables.js';

function run(id: number, workload: 'stream' | 'rr', metrics: Record<string, number>): StoredRun {
  return {
    id,
    kind: 'simulated',
    system: 'DA',
    workload,
    label: null,
    importedFileId: null,
    detail: null,
    metrics,
    provenance: { appVersion: 'x', modelVersion: 'm', parameters: {}, seed: id, inputSha256: null, createdAt: '' },
  };
}

describe('paper tables take each metric from the right workload', () => {
  it('never averages TCP_RR runs into Tables IV–VI, nor STREAM runs into Table VII', () => {
    const simulated = [
      run(1, 'stream', { throughput_mbps: 740, 'cycles_per_byte.total': 10, rr_transactions_per_s: NaN }),
      run(2, 'stream', { throughput_mbps: 760, 'cycles_per_byte.total': 12 }),
      run(3, 'rr', { throughput_mbps: 0.04, 'cycles_per_byte.total': 30000, rr_transactions_per_s: 5000 }),
    ];
    const v = compareValues({ simulated, measured: [] });
    const at = (table: string, metric: string): number | undefined => {
      const t = v.find((x) => x.def.rows.some((r) => r.metric === metric) && x.def.id === table);
      const i = t?.def.rows.findIndex((r) => r.system === 'DA' && r.metric === metric) ?? -1;
      return i >= 0 ? (t?.sim[i]?.mean ?? undefined) : undefined;
    };
    expect(at('table-iv', 'throughput_mbps')).toBeCloseTo(750, 6);
    expect(at('table-v', 'cycles_per_byte.total')).toBeCloseTo(11, 6);
    expect(at('table-vii', 'rr_transactions_per_s')).toBe(5000);
  });
});

describe('measured runs behind a figure are the ones its values average', () => {
  const m = (id: number, workload: string | null, metrics: Record<string, number>, detail: unknown = null): { run: StoredRun; system: string } => ({
    system: 'Xen',
    run: { id, kind: 'measured', system: null, workload, label: null, importedFileId: 1, detail, metrics, provenance: { appVersion: 'x', modelVersion: null, parameters: {}, seed: null, inputSha256: 'a', createdAt: '' } },
  });
  it('iperf3 TCP runs count for throughput (as the measured tables take them); a profile only for cycles', () => {
    const measured = [
      m(1, 'TCP_STREAM', { throughput: 540 }, { throughput_units: '10^6bits/sec' }),
      m(2, 'iperf3 TCP', { throughput: 19.9e9 }, { throughput_units: 'bits/s' }),
      m(3, null, { 'cycles_per_byte.total': 23 }),
      m(4, 'iperf3 UDP', { throughput: 1e9 }, { throughput_units: 'bits/s' }),
    ];
    expect(runsBehind({ simulated: [], measured }, 'throughput_mbps')).toEqual([1, 2]);
    expect(runsBehind({ simulated: [], measured }, 'cycles_per_byte.total')).toContain(3);
    const v = compareValues({ simulated: [], measured });
    const iv = v.find((x) => x.def.id === 'table-iv');
    const i = iv?.def.rows.findIndex((r) => r.system === 'Xen') ?? -1;
    expect(iv?.meas[i]?.mean).toBeCloseTo((540 + 19900) / 2, 6);
  });
});
