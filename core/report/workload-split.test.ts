import { describe, expect, it } from 'vitest';
import type { StoredRun } from '../contract/index.js';
import { compareValues } from './paper-tables.js';

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
