import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { netperfRun, rng } from '../logs/generate.js';
import { Service } from '../service.js';
import { watchEventLoop } from '../loop-gap.js';

/** Store benchmarks: opening a 200-cell notebook (the notebook's open path minus rendering). */
export async function benchStore(): Promise<Array<{ name: string; value: number; unit: string; note?: string }>> {
  const dir = mkdtempSync(join(tmpdir(), 'rxlab-bench-store-'));
  const service = new Service({ dbPath: join(dir, 'bench.db'), host: 'cli' });
  try {
    const nb = await service.invoke('notebook.create', { title: 'bench' });
    const kinds = ['markdown', 'simulation', 'compare', 'plot'] as const;
    const cells = Array.from({ length: 200 }, (_, i) => ({
      id: randomUUID(),
      kind: kinds[i % 4] ?? 'markdown',
      config: { source: `# cell ${i}\n${'lorem ipsum '.repeat(40)}`, systems: ['Linux', 'Xen', 'LRO', 'BO', 'DA'], seeds: 3 },
      output: { runIds: [i, i + 1, i + 2], summary: { throughput_mbps: { mean: 700 + i, lo: 690, hi: 710 } } },
    }));
    let t = performance.now();
    await service.invoke('notebook.save', { id: nb.id, cells });
    const saveMs = performance.now() - t;
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      t = performance.now();
      const got = await service.invoke('notebook.get', { id: nb.id });
      JSON.stringify(got); // what the HTTP/IPC host does with it
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const imp = await benchUiImport(service);
    const browse = await benchRunsQuery(service);
    return [
      { name: 'save 200-cell notebook (autosave, one transaction)', value: saveMs, unit: 'ms' },
      { name: 'open 200-cell notebook (get + serialise), median of 20', value: times[10] ?? NaN, unit: 'ms', note: 'target < 500 ms incl. rendering' },
      ...imp,
      ...browse,
    ];
  } finally {
    service.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * log.import of a generated 16 MiB netperf log through the API, as the notebook sends it (the raw bytes):
 * wall time, and the longest the calling thread (Electron main / HTTP server) went without running
 * a 5 ms timer — parsing and saving belong in the worker.
 */
async function benchUiImport(service: Service): Promise<Array<{ name: string; value: number; unit: string; note?: string }>> {
  const r = rng(7);
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < 16 * 1024 * 1024; i++) {
    const run = netperfRun(r, i);
    parts.push(run);
    size += run.length;
  }
  const data = Buffer.from(parts.join(''));
  const loop = watchEventLoop();
  const t0 = performance.now();
  const res = await service.invoke('log.import', { fileName: 'bench-16MiB.log', data });
  const wall = performance.now() - t0;
  const maxGap = await loop.stop();
  return [
    { name: 'log.import 16 MiB netperf (parse + save, API)', value: wall, unit: 'ms', note: `${res.runIds.length.toLocaleString('en-US')} runs stored` },
    { name: 'log.import 16 MiB: longest main-thread block', value: maxGap, unit: 'ms', note: 'parse and save run in a worker thread' },
  ];
}

/**
 * The stored-runs browser (runs.query) over the 28,150 runs the 16 MiB import left: each page as the
 * view asks for it, through the API (the store worker), median of 5; and the calling thread's longest block.
 */
async function benchRunsQuery(service: Service): Promise<Array<{ name: string; value: number; unit: string; note?: string }>> {
  const cases: [string, Record<string, unknown>][] = [
    ['newest 100, with the filter menus\' counts', { facets: true }],
    ['newest 100', {}],
    ['sorted by throughput, first page', { sort: 'throughput' }],
    ['sorted by throughput, last page', { sort: 'throughput', order: 'asc', offset: 28_000 }],
    ['text search in labels and log names', { text: '#27000' }],
  ];
  const loop = watchEventLoop();
  const out: Array<{ name: string; value: number; unit: string; note?: string }> = [];
  let total = 0;
  for (const [name, q] of cases) {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      total = Math.max(total, (await service.invoke('runs.query', q)).total);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    out.push({ name: `runs.query: ${name}`, value: times[2] ?? NaN, unit: 'ms' });
  }
  const gap = await loop.stop();
  out.push({ name: 'runs.query: longest main-thread block', value: gap, unit: 'ms', note: `over the ${total.toLocaleString('en-US')}-run store; counted and sorted in the store worker` });
  return out;
}
