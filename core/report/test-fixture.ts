import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CellInput } from '../contract/index.js';
import { PAPER, SYSTEMS } from '../reference/paper.js';
import { PARAM_SPEC_BY_NAME } from '../sim/params.js';
import { Service } from '../service.js';
import { listImports, saveImport } from '../store/imports.js';
import { createNotebook, getNotebook, saveCells } from '../store/notebooks.js';
import { flattenMetrics, getRuns, insertRun, simCacheKey } from '../store/runs.js';
import { summarize } from './stats.js';

/**
 * Test data for the report and export tests: a notebook with the cell kinds the notebook UI writes
 * (markdown, simulation, import, compare, sweep, plot) whose outputs reference stored runs by id, the way
 * the UI keeps them (compact outputs: runIds/fileIds + summary numbers). Values are made up near the paper.
 */
export const NETPERF_STREAM = `MIGRATED TCP STREAM TEST from 0.0.0.0 (0.0.0.0) port 0 AF_INET to 10.0.0.2 () port 0 AF_INET
Recv   Send    Send
Socket Socket  Message  Elapsed
Size   Size    Size     Time     Throughput
bytes  bytes   bytes    secs.    10^6bits/sec

 87380  16384   1024    300.01    612.34
`;
export const IMPORTED_THROUGHPUT = 612.34;
export const MODEL_VERSION = 'sim-test-1';
/** A measured value that exists only in the Compare cell's own arithmetic (not in any run). */
export const MEASURED_XEN_DRIVER_CPB = 11.37;
export const XSS = '<script>alert("xss")</script><img src=x onerror="alert(2)"> [click](javascript:alert(3)) <iframe src="https://evil.example/"></iframe>';

export interface Fixture {
  dir: string;
  dbPath: string;
  service: Service;
  notebookId: number;
  simRunIds: number[];
  measuredRunIds: number[];
  fileId: number;
  cleanup(): void;
}

function interval(v: number[]): { mean: number; lo: number | null; hi: number | null; halfWidth: number | null; n: number } {
  const s = summarize(v);
  return s ?? { mean: Number.NaN, lo: null, hi: null, halfWidth: null, n: 0 };
}

function jitter(seed: number, k: number): number {
  return 1 + 0.01 * Math.sin(seed * 12.9898 + k * 78.233);
}

function simRun(s: Service, system: string, workload: 'stream' | 'rr', seed: number, set: Record<string, number | string> = {}): number {
  const parameters = { system, workload, mtu_bytes: 1500, message_bytes: 1024, cpu_ghz: 3, ...set };
  const sys = system as (typeof SYSTEMS)[number];
  const k = Number(set['flush_every_polls'] ?? 1);
  const detail =
    workload === 'stream'
      ? {
          throughput_mbps: PAPER.throughputMbps[sys] * jitter(seed, 1) * (1 + 0.02 * (k - 1)),
          cycles_per_byte: {
            // native Linux has no driver/guest split
            ...(sys === 'Linux' ? {} : { driver: (PAPER.cyclesPerByte.driver[sys] ?? 0) * jitter(seed, 2), guest: (PAPER.cyclesPerByte.guest[sys] ?? 0) * jitter(seed, 3) }),
            total: PAPER.cyclesPerByte.total[sys] * jitter(seed, 4),
          },
          lro_rate: (PAPER.lroRate[sys] ?? 1) * jitter(seed, 5) * (1 + 0.5 * (k - 1)),
          flush_latency_us: { mean: 20 * k * jitter(seed, 6), p50: 18 * k, p99: 60 * k },
          cycles_by_function: { skb_copy_bits: 1.5, __copy_to_user_ll: 3.1 },
          parameters,
          seed,
          model_version: MODEL_VERSION,
        }
      : { rr_transactions_per_s: PAPER.rrTransactionsPerS[sys] * jitter(seed, 7), parameters, seed, model_version: MODEL_VERSION };
  return insertRun(s.db, {
    kind: 'simulated',
    system,
    workload,
    parameters,
    seed,
    modelVersion: MODEL_VERSION,
    cacheKey: simCacheKey(MODEL_VERSION, system, workload, parameters, seed),
    detail,
    metrics: flattenMetrics(detail),
  });
}

export function makeFixture(opts: { bigPlotPoints?: number } = {}): Fixture {
  const dir = mkdtempSync(join(tmpdir(), 'rxlab-report-'));
  const dbPath = join(dir, 'rxlab.db');
  const service = new Service({ dbPath, host: 'cli' });
  const simRunIds: number[] = [];
  for (const sys of SYSTEMS) for (const seed of [1, 2, 3]) simRunIds.push(simRun(service, sys, 'stream', seed));
  for (const sys of SYSTEMS) for (const seed of [1, 2, 3]) simRunIds.push(simRun(service, sys, 'rr', seed));

  const bytes = Buffer.from(NETPERF_STREAM);
  const imp = saveImport(
    service.db,
    {
      fileName: 'xen-stream.txt',
      sha256: createHash('sha256').update(bytes).digest('hex'),
      sizeBytes: bytes.length,
      parserVersion: 'netperf-test-1',
      doc: {
        tool: 'netperf',
        format: 'classic',
        warnings: [],
        records: [{ line: 1, test: 'TCP_STREAM', throughput: IMPORTED_THROUGHPUT, throughput_text: '612.34', throughput_units: '10^6bits/sec', elapsed_s: 300.01, message_bytes: 1024 }],
        profiles: [],
      },
    },
    bytes,
  );

  const points = [1, 2, 3, 4].map((k) => {
    const runIds = [1, 2, 3].map((seed) => simRun(service, 'LRO', 'stream', seed, { flush_policy: 'every-k', flush_every_polls: k }));
    return {
      values: { flush_every_polls: k },
      runIds,
      metrics: {
        throughput_mbps: { mean: 577 * (1 + 0.02 * (k - 1)), lo: 570 * (1 + 0.02 * (k - 1)), hi: 584 * (1 + 0.02 * (k - 1)), halfWidth: 7, n: 3 },
        'flush_latency_us.mean': { mean: 20 * k, lo: 19 * k, hi: 21 * k, halfWidth: k, n: 3 },
      },
    };
  });

  // Outputs in the shapes the notebook UI stores (renderer/src/lib/notebook.ts: SimOutput, ImportOutput, CompareOutput, PlotOutput).
  const cell = (kind: CellInput['kind'], config: Record<string, unknown>, output?: unknown, id: string = randomUUID()): CellInput => ({ id, kind, config, output, stale: false });
  const [simId, importId, sweepId] = [randomUUID(), randomUUID(), randomUUID()];
  const runs = getRuns(service.db, simRunIds);
  const groups = SYSTEMS.flatMap((system) =>
    (['stream', 'rr'] as const).map((workload) => {
      const rs = runs.filter((r) => r.system === system && r.workload === workload);
      const keys = [...new Set(rs.flatMap((r) => Object.keys(r.metrics)))];
      const metrics = Object.fromEntries(keys.map((k) => [k, interval(rs.map((r) => r.metrics[k] ?? Number.NaN))]));
      return { system, workload, runIds: rs.map((r) => r.id), metrics, functions: [], provenance: { appVersion: '0.1.0', modelVersion: MODEL_VERSION, parameters: rs[0]?.provenance.parameters ?? null, seeds: [1, 2, 3], inputSha256: null, createdAt: null } };
    }),
  );
  const f = listImports(service.db)[0];
  const thr = groups.filter((g) => g.workload === 'stream');
  const cells: CellInput[] = [
    cell('markdown', { source: `# Receive path study\n\nWe compare the five systems with **the paper**. Safe link: [paper](https://example.org/paper).\n\n${XSS}\n` }),
    cell('simulation', { systems: [...SYSTEMS], workload: 'both', seeds: 3, set: {} }, { runIds: simRunIds, groups, cached: 0, ranAt: '2026-11-26T00:00:00.000Z', set: {} }, simId),
    cell('import', {}, { files: [{ fileId: imp.fileId, fileName: 'xen-stream.txt', sha256: f?.sha256, tool: 'netperf', format: 'classic', parserVersion: 'netperf-test-1', sizeBytes: f?.sizeBytes, importedAt: f?.importedAt, duplicate: false, runIds: imp.runIds, warnings: [], document: { records: [] } }] }, importId),
    cell('compare', { sources: 'all', measuredSystem: 'Xen', chart: 'IV' }, {
      tables: [
        { id: 'IV', title: 'Table IV', unit: 'Mbit/s', rows: [{ system: 'Xen', label: 'Xen', paper: PAPER.throughputMbps.Xen, sim: null, measured: { mean: IMPORTED_THROUGHPUT, lo: null, hi: null, halfWidth: null, n: 1 }, dSim: null, dMeasured: 14.3 }] },
        { id: 'V', title: 'Table V', unit: 'cycles/B', rows: [{ system: 'Xen', label: 'Xen · driver', paper: PAPER.cyclesPerByte.driver.Xen ?? null, sim: null, measured: { mean: MEASURED_XEN_DRIVER_CPB, lo: null, hi: null, halfWidth: null, n: 1 }, dSim: null, dMeasured: null }] },
      ],
      measuredSystem: 'Xen',
      measuredNote: 'Measured column: 1 imported file(s), shown in the Xen row.',
      arithmetic: [`throughput: ${IMPORTED_THROUGHPUT} Mbit/s (xen-stream.txt)`, `driver cycles/byte = samples × count / bytes = ${MEASURED_XEN_DRIVER_CPB}`],
      profile: null,
      // a "Fit the model to these measurements" of the Xen row, kept with the output
      fit: {
        name: 'lab-fit',
        before: [{ table: 'IV', system: 'Xen', metric: 'throughput_mbps', target: IMPORTED_THROUGHPUT, simulated: 533.9, errorPct: -40.1, withinTolerance: false }],
        after: [{ table: 'IV', system: 'Xen', metric: 'throughput_mbps', target: IMPORTED_THROUGHPUT, simulated: 880.5, errorPct: -1.2, withinTolerance: true }],
        objective: 0.4,
        evaluations: 130,
        notes: [],
        saved: { name: 'lab-fit', modelVersion: MODEL_VERSION, createdAt: '2026-11-26T00:00:00.000Z' },
      },
      inputs: [simId, importId],
      provenance: [],
      ranAt: '2026-11-26T00:00:00.000Z',
    }),
    cell('sweep', { system: 'LRO', vary: [{ key: 'flush_every_polls', from: 1, to: 4, step: 1 }], seeds: 3, set: { flush_policy: 'every-k' } }, {
      system: 'LRO',
      workload: 'stream',
      vary: ['flush_every_polls'],
      seeds: 3,
      points,
      cachedRuns: 0,
      modelVersion: MODEL_VERSION,
      // as sweep.run returns them (core/handlers/sweep.ts): the varied knob's unit and meaning from its spec
      varySpecs: { flush_every_polls: { unit: PARAM_SPEC_BY_NAME.get('flush_every_polls')?.unit, doc: PARAM_SPEC_BY_NAME.get('flush_every_polls')?.doc, short: PARAM_SPEC_BY_NAME.get('flush_every_polls')?.short } },
      ranAt: '2026-11-26T00:00:00.000Z',
      set: { flush_policy: 'every-k' },
    }, sweepId),
    cell('plot', { source: 'previous', x: 'flush_latency_us.mean', y: 'throughput_mbps' }, {
      series: [{ name: 'LRO stream', x: points.map((p) => p.metrics['flush_latency_us.mean'].mean), y: points.map((p) => p.metrics.throughput_mbps.mean), err: points.map(() => 7) }],
      xLabel: 'flush_latency_us.mean',
      yLabel: 'throughput_mbps',
      sourceCellId: sweepId,
      ranAt: '2026-11-26T00:00:00.000Z',
    }),
    cell('plot', { source: simId, x: '', y: 'throughput_mbps' }, {
      series: [{ name: 'throughput_mbps', x: thr.map((g) => g.system), y: thr.map((g) => g.metrics['throughput_mbps']?.mean ?? 0), err: thr.map((g) => g.metrics['throughput_mbps']?.halfWidth ?? null) }],
      xLabel: 'system',
      yLabel: 'throughput_mbps',
      sourceCellId: simId,
      ranAt: '2026-11-26T00:00:00.000Z',
    }),
    // no output yet: the report plots the source's runs itself
    cell('plot', { x: 'flush_latency_us.mean', y: 'throughput_mbps', source: sweepId }, null),
  ];
  if (opts.bigPlotPoints) {
    const n = opts.bigPlotPoints;
    const x = Array.from({ length: n }, (_, i) => i);
    const y = x.map((i) => 500 + 100 * Math.sin(i / 500) + (i % 997 === 0 ? 150 : 0));
    cells.push(cell('plot', { x: 't', y: 'throughput_mbps', title: 'Throughput trace' }, { series: [{ name: 'trace', x, y }] }));
  }
  // Shapes the report has never seen must not break it.
  cells.push(cell('plot', { x: 42, y: null }, { series: 'not-an-array', runIds: ['x', 99999], nested: { deep: [1, { a: 2 }] } }));
  const nb = createNotebook(service.db, 'Xen receive path: report test', cells);
  return {
    dir,
    dbPath,
    service,
    notebookId: nb.id,
    simRunIds,
    measuredRunIds: imp.runIds,
    fileId: imp.fileId,
    cleanup: () => {
      service.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * One netperf log of `runs` TCP_STREAM records imported into the fixture's store and shown by an
 * Import cell appended to its notebook, as a long batch of runs from one file arrives. Returns the
 * file's name, id and run ids.
 */
export function addLargeImport(f: Fixture, runs: number, fileName = 'many-runs.txt'): { fileName: string; fileId: number; runIds: number[] } {
  const records = Array.from({ length: runs }, (_, i) => {
    const throughput = Number((600 + 40 * Math.sin(i / 97)).toFixed(2));
    return { line: 7 + i, test: 'TCP_STREAM', throughput, throughput_text: throughput.toFixed(2), throughput_units: '10^6bits/sec', elapsed_s: 10.01, message_bytes: 1024 };
  });
  const bytes = Buffer.from(`${fileName}: ${runs} netperf runs\n`);
  const imp = saveImport(
    f.service.db,
    { fileName, sha256: createHash('sha256').update(bytes).digest('hex'), sizeBytes: bytes.length, parserVersion: 'netperf-test-1', doc: { tool: 'netperf', format: 'classic', warnings: [], records, profiles: [] } },
    bytes,
  );
  const nb = getNotebook(f.service.db, f.notebookId);
  const cells: CellInput[] = nb.cells.map((c) => ({ id: c.id, kind: c.kind, config: c.config, output: c.output, stale: c.stale }));
  // before the Compare cell, which then compares these runs as Xen's measurements
  const at = cells.findIndex((c) => c.kind === 'compare');
  const id = randomUUID();
  cells.splice(at < 0 ? cells.length : at, 0, { id, kind: 'import', config: { system: 'Xen' }, output: { files: [{ fileId: imp.fileId, fileName, runIds: imp.runIds }] }, stale: false });
  const compare = cells.find((c) => c.kind === 'compare');
  const inputs = (compare?.output as { inputs?: unknown } | undefined)?.inputs;
  if (Array.isArray(inputs)) inputs.push(id);
  saveCells(f.service.db, f.notebookId, cells);
  return { fileName, fileId: imp.fileId, runIds: imp.runIds };
}
