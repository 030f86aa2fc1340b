#!/usr/bin/env node
// `npm run bench`: every benchmark of rxlab in one table (engine, model, importers, sweeps, store).
// Benchmarks measure; they do not pass or fail. Results also go to out/bench.json for comparison.
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const suites = [
  ['engine', 'out/core/sim/bench.js', 'bench'],
  ['model', 'out/core/sim/model-bench.js', 'benchModel'],
  ['importers', 'out/core/logs/bench.js', 'benchImport'],
  ['sweeps', 'out/core/sweep/bench.js', 'benchSweep'],
  ['store', 'out/core/store/bench.js', 'benchStore'],
];
const only = process.argv.slice(2);
const all = [];
for (const [suite, rel, fn] of suites) {
  if (only.length && !only.includes(suite)) continue;
  const file = join(root, rel);
  if (!existsSync(file)) {
    console.log(`${suite}: skipped (${rel} not built)`);
    continue;
  }
  const mod = await import(pathToFileURL(file).href);
  const t0 = performance.now();
  process.stderr.write(`${suite}: running…\n`);
  const rows = await mod[fn]();
  for (const r of rows) all.push({ suite, ...r });
  for (const r of rows) {
    const v = Math.abs(r.value) >= 1000 ? r.value.toLocaleString('en-US', { maximumFractionDigits: 0 }) : r.value.toPrecision(4);
    console.log(`${suite.padEnd(10)} ${r.name.padEnd(52)} ${v.padStart(14)} ${r.unit}${r.note ? `  (${r.note})` : ''}`);
  }
  process.stderr.write(`${suite}: ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}
try {
  const pool = await import(pathToFileURL(join(root, 'out/core/sim/pool.js')).href);
  await pool.destroyPool();
} catch {
  /* no pool was started */
}
writeFileSync(join(root, 'out', 'bench.json'), JSON.stringify({ at: new Date().toISOString(), node: process.version, rows: all }, null, 2));
