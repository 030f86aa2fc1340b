/** Helpers for the sweep integration tests (child processes, the CLI when registered, a stand-in `rxlab run`). */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './slurm.js';

/** Whether bin/rxlab.js knows a subcommand (the lead registers sweep and run in core/cli.ts). */
export function cliHas(command: string): boolean {
  const r = spawnSync(process.execPath, [join(repoRoot(), 'bin', 'rxlab.js'), command, '--help'], { encoding: 'utf8', timeout: 30_000 });
  return r.status === 0;
}

/**
 * Writes a stand-in for `rxlab [--db X] run --system S --seed N --workload W --set k=v … --json`
 * that calls the compiled runSimulation and prints its RunResult (used only while `run` is not
 * registered in the CLI).
 */
export function writeRunStandIn(dir: string): string {
  const file = join(dir, 'run-stand-in.mjs');
  const runJs = pathToFileURL(join(repoRoot(), 'out', 'core', 'sim', 'run.js')).href;
  writeFileSync(
    file,
    `import { runSimulation } from ${JSON.stringify(runJs)};
const a = process.argv.slice(2);
const req = { set: {}, seed: 1, workload: 'stream' };
for (let i = 0; i < a.length; i++) {
  const x = a[i];
  if (x === '--db') i++;
  else if (x === '--system') req.system = a[++i];
  else if (x === '--seed') req.seed = Number(a[++i]);
  else if (x === '--workload') req.workload = a[++i];
  else if (x === '--set') { const kv = a[++i]; const eq = kv.indexOf('='); req.set[kv.slice(0, eq)] = kv.slice(eq + 1); }
}
process.stdout.write(JSON.stringify(runSimulation(req)) + '\\n');
`,
  );
  return file;
}

/** A child-process sweep runner over the compiled engine (stands in for `rxlab --db X sweep …`). */
export function writeSweepChild(dir: string): string {
  const file = join(dir, 'sweep-child.mjs');
  const out = (p: string): string => JSON.stringify(pathToFileURL(join(repoRoot(), 'out', 'core', ...p.split('/'))).href);
  writeFileSync(
    file,
    `import { openStore } from ${out('store/db.js')};
import { runSweep } from ${out('sweep/engine.js')};
import { realBackend } from ${out('sweep/backend.js')};
import { destroyPool } from ${out('sim/pool.js')};
const [dbPath, specJson, batch] = process.argv.slice(2);
const db = openStore(dbPath);
const r = await runSweep(db, realBackend(), JSON.parse(specJson), { batchSize: Number(batch ?? 1), inflight: 2 });
db.close();
await destroyPool();
process.stdout.write(JSON.stringify({ simulated: r.simulated, cachedRuns: r.cachedRuns }) + '\\n');
`,
  );
  return file;
}
