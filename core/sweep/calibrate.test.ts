import { createHash } from 'node:crypto';
/** Calibration to the user's logs: measured tables → fit target; fit, residuals before/after, named set. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importBytesSync } from '../logs/import.js';
import type { MeasuredTables } from '../logs/measured/tables.js';
import { appRoot } from '../paths.js';
import { calibratedParams } from '../sim/systems.js';
import { saveImport } from '../store/imports.js';
import type { RunRequest, RunResult } from '../sim/types.js';
import type { Db } from '../store/db.js';
import { addToTarget, calibrateToLogs, formatCalibration, measuredFor } from './calibrate.js';
import { getParameterSet } from './paramsets.js';
import { FITTED_MULTIPLIER_NAMES } from '../contract/multipliers.js';
import { useTempDb } from '../store/temp-db.js';

let db: Db;
useTempDb('rxlab-cal-', (_dir, x) => {
  db = x;
});

const summary = (mean: number): { values: number[]; mean: number; interval: null } => ({ values: [mean], mean, interval: null });

describe('calibration to the user logs', () => {
  it('maps measured tables onto the fit target (hypervisor cycles kept apart)', () => {
    const m: MeasuredTables = {
      system: 'Xen',
      tableIV: { throughputMbps: summary(650) },
      tableV: { runs: [], perDomain: { driver: summary(5), guest: summary(4), total: summary(9) }, hypervisor: summary(1.5) },
      tableVII: { transactionsPerS: null },
      steps: [],
      warnings: ['one warning'],
    };
    const target = { throughputMbps: {}, cyclesPerByte: { driver: {}, guest: {}, total: {} }, lroRate: {}, rrTransactionsPerS: {} };
    const notes: string[] = [];
    addToTarget(target, 'Xen', m, notes);
    expect(target).toEqual({ throughputMbps: { Xen: 650 }, cyclesPerByte: { driver: { Xen: 5 }, guest: { Xen: 4 }, total: { Xen: 9 } }, lroRate: {}, rrTransactionsPerS: {} });
    expect(notes.join('\n')).toMatch(/hypervisor 1\.50/);
    expect(notes.join('\n')).toMatch(/one warning/);
  });

  it('fits to an imported log, reports residuals before and after, and saves the named set', async () => {
    // A real netperf TCP_STREAM log (../shared/real-logs), imported as `rxlab import` does.
    const file = resolve(appRoot(), '..', 'shared', 'real-logs', 'netperf', 'netperf-2.4.4-manual-tcp_stream-default-localhost.txt');
    const bytes = readFileSync(file);
    const imp = importBytesSync('stream.txt', bytes);
    const { fileId } = saveImport(db, imp, bytes);
    const measured = (measuredFor(db, { system: 'Xen', fileIds: [fileId] }).tableIV.throughputMbps?.mean ?? 0);
    expect(measured).toBeGreaterThan(100);
    // Fake runner (fast, deterministic): throughput falls with the per-skb stack cost, so the fit must scale "stack".
    const runner = async (reqs: RunRequest[]): Promise<RunResult[]> =>
      reqs.map((r) => ({ throughput_mbps: 700 * (4000 / (r.parameterSet?.c_tcprx ?? 4000)), cycles_per_byte: { driver: null, guest: null, total: 10 }, lro_rate: null, rr_transactions_per_s: null }) as unknown as RunResult);
    db.exec('DROP TABLE parameter_set'); // as in a database from before migration 0002
    const r0 = await calibrateToLogs(db, 'mine', [{ system: 'Xen', fileIds: [fileId] }], { runner, maxEvals: 60 });
    expect(r0.saved).toBeNull();
    expect(r0.saveError).toMatch(/parameter_set/);
    db.exec(`CREATE TABLE parameter_set (name TEXT PRIMARY KEY, params TEXT NOT NULL, report TEXT, model_version TEXT NOT NULL, created_at TEXT NOT NULL)`);
    const r = await calibrateToLogs(db, 'mine', [{ system: 'Xen', fileIds: [fileId] }], { runner, maxEvals: 60 });
    const before = r.before[0];
    const after = r.after[0];
    expect(before?.metric).toBe('throughput_mbps');
    expect(before?.paper).toBeCloseTo(measured, 9);
    expect(Math.abs(after?.error_pct ?? 100)).toBeLessThan(Math.abs(before?.error_pct ?? 0));
    expect(r.multipliers['stack']).not.toBe(1);
    expect(formatCalibration(r)).toMatch(/saved as parameter set "mine"/);
    // each cost group beside the paper's calibration: without a Table V there is no stage B, so the
    // fit starts from the paper's set and yours ÷ paper's is exactly the fit's multiplier
    expect(r.groups.map((g) => g.group)).toEqual([...FITTED_MULTIPLIER_NAMES]);
    for (const g of r.groups) expect(g.yours / g.paper).toBeCloseTo(r.multipliers[g.group] ?? 1, 9);
    expect(r.groups.find((g) => g.group === 'stack')?.yours).not.toBeCloseTo(r.groups.find((g) => g.group === 'stack')?.paper ?? 0, 6);
    const stackLine = new RegExp(`per-skb kernel work\\)\\s+[\\d.]+ →\\s+[\\d.]+ = ×${(r.multipliers['stack'] ?? 1).toFixed(2)}$`, 'm');
    expect(formatCalibration(r)).toMatch(stackLine);
    const ps = getParameterSet(db, 'mine');
    // the logs it was fitted to, by name and SHA-256 too: an id alone names another log once it is reused
    expect((ps?.report as { sources: unknown[] }).sources).toEqual([
      { system: 'Xen', fileIds: [fileId], files: [{ id: fileId, fileName: 'stream.txt', sha256: createHash('sha256').update(bytes).digest('hex') }] },
    ]);
    expect(ps?.params['c_tcprx']).toBeCloseTo(4000 * (r.multipliers['stack'] ?? 1) * (calibratedParams().c_tcprx / 4000), 6);
    await expect(calibrateToLogs(db, 'mine', [{ system: 'Xen', fileIds: [fileId] }], { runner, maxEvals: 2 })).resolves.toMatchObject({ saved: null });
    await expect(calibrateToLogs(db, 'x', [{ system: 'Xen', fileIds: [99] }], { runner })).rejects.toThrow(/99 does not exist/);
  });
});
