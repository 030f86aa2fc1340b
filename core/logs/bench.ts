import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { importFileRecords } from './import.js';
import { splitWorth } from './netperf/split-parse.js';
import { netperfRun, opreportHeader, opreportRow, rng } from './generate.js';

export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

/** Writes a generated file of about `mb` MiB in 4 MiB batches (so generation memory stays small). */
async function writeGenerated(path: string, mb: number, head: string, row: (r: () => number, i: number) => string): Promise<void> {
  const out = createWriteStream(path);
  const r = rng(42);
  const target = mb * 1024 * 1024;
  let written = 0;
  let i = 0;
  let failed: Error | null = null;
  out.on('error', (e) => (failed = e));
  const write = (s: string): Promise<void> =>
    new Promise((res, rej) => {
      if (failed !== null) rej(failed);
      else if (out.write(s)) res();
      else out.once('drain', res);
    });
  await write(head);
  written += head.length;
  while (written < target) {
    let batch = '';
    while (batch.length < 4 * 1024 * 1024) batch += row(r, i++);
    await write(batch);
    written += batch.length;
  }
  await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
}

function wcSeconds(path: string): number {
  // Best of 3, so a cold page cache does not flatter the importer.
  let best = Infinity;
  for (let k = 0; k < 3; k++) {
    const t0 = performance.now();
    const p = spawnSync('wc', ['-l', path], { encoding: 'utf8' });
    const dt = (performance.now() - t0) / 1000;
    if (p.status !== 0) throw new Error(`wc -l failed: ${p.stderr}`);
    best = Math.min(best, dt);
  }
  return best;
}

async function measure(label: string, path: string): Promise<BenchRow[]> {
  const size = statSync(path).size;
  const mib = size / (1024 * 1024);
  const wc = wcSeconds(path);
  global.gc?.();
  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakHeap = base.heapUsed;
  let best = Infinity;
  let bestCpu = Infinity;
  let units = 0;
  let readBack: { seconds: number; runs: number } | null = null;
  for (let k = 0; k < 2; k++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const sample = (): void => {
      const m = process.memoryUsage();
      if (m.rss > peakRss) peakRss = m.rss;
      if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
    };
    // The bounded-memory import the CLI uses: runs stay in their compact store (record-spill.ts).
    const r = await importFileRecords(path, { onProgress: sample });
    best = Math.min(best, (performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    bestCpu = Math.min(bestCpu, (c.user + c.system) / 1e6);
    sample();
    units = r.records.count + r.doc.profiles.reduce((a, p) => a + p.row_count, 0);
    if (k === 1 && r.records.count > 0) {
      // What a consumer (store, --json) pays on top to get the runs back as objects.
      const t1 = performance.now();
      let n = 0;
      for (const rec of r.records) if (rec.line > 0) n++;
      readBack = { seconds: (performance.now() - t1) / 1000, runs: n };
    }
    r.records.dispose();
  }
  const mbps = mib / best;
  const wcMbps = mib / wc;
  return [
    { name: `${label}: import speed`, value: mbps, unit: 'MiB/s', note: `${mib.toFixed(0)} MiB, ${units.toLocaleString('en-US')} runs/rows, best of 2` },
    { name: `${label}: import speed per CPU second`, value: mib / bestCpu, unit: 'MiB/s', note: 'user+sys CPU time (incl. GC threads); steadier than wall time on a shared machine' },
    { name: `${label}: wc -l speed`, value: wcMbps, unit: 'MiB/s', note: 'best of 3, same file' },
    { name: `${label}: import / wc -l`, value: mbps / wcMbps, unit: 'ratio', note: `target ≥ 0.333; load average ${loadavg()[0]?.toFixed(1) ?? '?'}` },
    { name: `${label}: peak RSS growth`, value: (peakRss - base.rss) / (1024 * 1024), unit: 'MiB' },
    { name: `${label}: peak heap growth`, value: (peakHeap - base.heapUsed) / (1024 * 1024), unit: 'MiB' },
    ...(readBack === null
      ? []
      : [{ name: `${label}: runs read back`, value: readBack.runs / readBack.seconds, unit: 'runs/s', note: `${readBack.seconds.toFixed(2)} s for all runs, decoded from the compact store (not part of the import time)` }]),
  ];
}

/** Import speed on large generated opreport and netperf files vs `wc -l`, and memory. */
export async function benchImport(): Promise<BenchRow[]> {
  const mb = Number(process.env['RXLAB_BENCH_IMPORT_MB'] ?? 256);
  const dir = mkdtempSync(join(tmpdir(), 'rxlab-bench-logs-'));
  try {
    const op = join(dir, 'big.opreport.txt');
    await writeGenerated(op, mb, opreportHeader(), opreportRow);
    const rows = await measure('opreport -l', op);
    rmSync(op);
    const np = join(dir, 'big.netperf.txt');
    await writeGenerated(np, mb, '', netperfRun);
    // Two threads where a core is free (netperf/split-parse.ts), then one, side by side.
    const split = splitWorth(statSync(np).size) ? 'halves parsed on two threads' : 'one thread: no core to spare';
    const two = await measure('netperf mixed', np);
    const first = two[0];
    if (first !== undefined) first.note = `${first.note ?? ''}; ${split}`;
    rows.push(...two);
    const before = process.env['RXLAB_IMPORT_SPLIT'];
    process.env['RXLAB_IMPORT_SPLIT'] = '0';
    try {
      rows.push(...(await measure('netperf mixed, one thread', np)).slice(0, 2));
    } finally {
      if (before === undefined) delete process.env['RXLAB_IMPORT_SPLIT'];
      else process.env['RXLAB_IMPORT_SPLIT'] = before;
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// `node out/core/logs/bench.js` runs it alone.
if (process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  for (const r of await benchImport()) console.log(`${r.name.padEnd(36)} ${r.value.toFixed(2).padStart(10)} ${r.unit}${r.note !== undefined ? `  (${r.note})` : ''}`);
}
