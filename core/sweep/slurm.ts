/**
 * Sweeps beyond one machine: `rxlab sweep … --slurm --out DIR` writes DIR/manifest.json (the point
 * list), DIR/tasks.tsv (one line of `rxlab run` arguments per array index) and DIR/sweep.sbatch (a
 * job array whose task i runs `rxlab run … --json > DIR/points/i.json`); `rxlab sweep collect DIR`
 * imports the finished points into the store by cache key (resumable, no duplicates).
 */
import { realBackend } from './backend.js';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../store/db.js';
import { findRunByCacheKey } from '../store/runs.js';
import { keyFor, keyOfResult, loadMetrics, saveResults, summarize } from './engine.js';
import { allRequests } from './grid.js';
import type { KnobSet, SimBackend, SimRequest, SimResultLike, SweepPointDetail, SweepSpec, SystemName, Workload } from './types.js';

export const MANIFEST_FORMAT = 'rxlab-slurm-sweep/1';

export interface ManifestPoint {
  index: number;
  /** Grid point number (points with the same number differ only by seed). */
  point: number;
  values: KnobSet;
  system: SystemName;
  workload: Workload;
  set: KnobSet;
  seed: number;
  /** Cache key expected for this point with the model that wrote the manifest. */
  key: string;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  createdAt: string;
  modelVersion: string;
  repo: string;
  spec: SweepSpec;
  points: ManifestPoint[];
  /** The saved parameter set's name, when the sweep runs from one: its runs are labelled with it, as a local sweep's are. */
  parameterSetName?: string;
}

/** The repository root (the directory holding bin/rxlab.js), from this compiled or source file. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'bin', 'rxlab.js')) && existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the rxlab repository (bin/rxlab.js) above this file');
    dir = up;
  }
}

/**
 * `rxlab run` arguments for one point (no shell quoting needed: tasks.tsv is split on tabs);
 * `paramsFile`: the sweep's saved parameter set, written as JSON into the job folder.
 */
export function runArgs(p: Pick<SimRequest, 'system' | 'set' | 'seed' | 'workload'>, paramsFile?: string): string[] {
  const args = ['run', '--system', p.system, '--seed', String(p.seed), '--workload', p.workload];
  if (paramsFile !== undefined) args.push('--params-file', paramsFile);
  for (const [k, v] of Object.entries(p.set).sort(([a], [b]) => a.localeCompare(b))) args.push('--set', `${k}=${String(v)}`);
  args.push('--json');
  for (const a of args) if (/[\t\n\r]/.test(a)) throw new Error(`knob value ${JSON.stringify(a)} contains a tab or newline`);
  return args;
}

function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export interface SlurmWriteOptions {
  /** Extra #SBATCH lines, e.g. ["--partition=debug", "--time=00:10:00"]. */
  sbatch?: string[];
  /** node binary the tasks use (default: this process's). */
  node?: string;
  /**
   * Program the tasks run with the tasks.tsv arguments (default: <repo>/bin/rxlab.js, i.e. `rxlab run`).
   * Tests point it at a stand-in until `rxlab run` is registered.
   */
  runner?: string;
  /** Keep only the runs whose cache key this accepts (the notebook leaves out those already stored). */
  keep?: (key: string) => boolean;
  /** The name of the saved set spec.parameterSet holds (for the collected runs' label). */
  parameterSetName?: string;
}

/** Writes dir/name through a temporary file and a rename, so a reader never sees half of it. */
export function writeAtomic(dir: string, name: string, text: string | Uint8Array, mode?: number): void {
  const tmp = join(dir, `.${name}.tmp`);
  writeFileSync(tmp, text, mode === undefined ? undefined : { mode });
  renameSync(tmp, join(dir, name));
}

export interface JobArray {
  jobName: string;
  /** Holds tasks.tsv; results go to dir/resultDir/i.json, Slurm's logs to dir/logs. */
  dir: string;
  count: number;
  cpusPerTask: number;
  /** Extra #SBATCH lines. */
  sbatch: string[];
  /** Comment lines at the top: what the array does and how to collect it. */
  comment: string[];
  node: string;
  /** The rxlab CLI (or a stand-in) each task runs with its line of tasks.tsv. */
  program: string;
  resultDir: string;
}

/**
 * A job array whose task i runs `program` with the tab-separated arguments on line i+1 of
 * tasks.tsv and writes its stdout to resultDir/i.json atomically (a .part file renamed when done),
 * with a throw-away database on node-local disk: shared by sweeps and cross-validation folds.
 */
export function jobArrayScript(a: JobArray): string {
  return `#!/bin/bash
#SBATCH --job-name=${a.jobName}
#SBATCH --array=0-${a.count - 1}
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=${a.cpusPerTask}
#SBATCH --output=${a.dir}/logs/%A_%a.out
${a.sbatch.map((l) => `#SBATCH ${l}`).join('\n')}
${a.comment.map((l) => `# ${l.replace(/[\r\n\u2028\u2029]+/g, ' ')}`).join('\n')}
set -euo pipefail
DIR=${shq(a.dir)}
NODE=\${RXLAB_NODE:-${shq(a.node)}}
I=\${SLURM_ARRAY_TASK_ID:?not an array task}
IFS=$'\\t' read -r -a ARGS < <(sed -n "$((I + 1))p" "$DIR/tasks.tsv")
[ "\${#ARGS[@]}" -gt 0 ] || { echo "no task line $I" >&2; exit 2; }
# Each task uses its own throw-away database on node-local disk, never a shared SQLite file.
TMPDB=$(mktemp "\${TMPDIR:-/tmp}/rxlab-task-XXXXXX.db")
trap 'rm -f "$TMPDB" "$TMPDB-wal" "$TMPDB-shm"' EXIT
"$NODE" ${shq(a.program)} --db "$TMPDB" "\${ARGS[@]}" > "$DIR/${a.resultDir}/$I.json.part"
mv "$DIR/${a.resultDir}/$I.json.part" "$DIR/${a.resultDir}/$I.json"
`;
}

/** Writes the manifest, task list and job-array script; returns the script path and point count. */
export function writeSlurmSweep(backend: SimBackend, spec: SweepSpec, outDir: string, opts: SlurmWriteOptions = {}): { script: string; manifest: Manifest } {
  if (spec.sequential) throw new Error('--slurm writes a fixed grid; sequential mode (--until-halfwidth) runs locally only');
  const dir = resolve(outDir);
  // Results of an earlier sweep in this folder would be collected as this one's points with the same
  // index (another seed, another grid point): refuse rather than mix them.
  const old = existsSync(join(dir, 'points')) ? readdirSync(join(dir, 'points')).filter((f) => /^\d+\.json(\.part)?$/.test(f)) : [];
  if (old.length > 0) throw new Error(`${join(dir, 'points')} already holds ${old.length} result file(s) of an earlier sweep; write this one to another --out (or collect and remove them first)`);
  mkdirSync(join(dir, 'points'), { recursive: true });
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const repo = repoRoot();
  const reqs = allRequests(spec).filter((r) => opts.keep?.(keyFor(backend, r.req)) ?? true);
  if (reqs.length === 0) throw new Error('the sweep has no points');
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    createdAt: new Date().toISOString(),
    modelVersion: backend.modelVersion(),
    repo,
    spec,
    // the parameter set is the spec's, once, not a copy in every point
    points: reqs.map((r, index) => ({ index, point: r.point, values: r.values, system: r.req.system, workload: r.req.workload, set: r.req.set, seed: r.req.seed, key: keyFor(backend, r.req) })),
    ...(opts.parameterSetName !== undefined && spec.parameterSet ? { parameterSetName: opts.parameterSetName } : {}),
  };
  const write = (name: string, text: string, mode?: number): void => writeAtomic(dir, name, text, mode);
  write('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  // A saved parameter set goes to the tasks as a file: each task has only a throw-away database.
  if (spec.parameterSet) write('params.json', `${JSON.stringify(spec.parameterSet, null, 2)}\n`);
  const paramsFile = spec.parameterSet ? join(dir, 'params.json') : undefined;
  write('tasks.tsv', manifest.points.map((p) => runArgs(p, paramsFile).join('\t')).join('\n') + '\n');
  const n = manifest.points.length;
  const script = jobArrayScript({
    jobName: 'rxlab-sweep',
    dir,
    count: n,
    cpusPerTask: 1,
    sbatch: opts.sbatch ?? [],
    comment: [
      `rxlab sweep: ${n} points (${spec.system}, ${spec.workload}); written ${manifest.createdAt}.`,
      'Task i runs `rxlab run` with line i+1 of tasks.tsv and writes points/i.json atomically.',
      `Collect with: node ${repo}/bin/rxlab.js sweep collect ${dir}`,
    ],
    node: opts.node ?? process.execPath,
    program: opts.runner ?? join(repo, 'bin', 'rxlab.js'),
    resultDir: 'points',
  });
  write('sweep.sbatch', script, 0o755);
  return { script: join(dir, 'sweep.sbatch'), manifest };
}

/** Finds sbatch on PATH (or undefined). */
export function which(cmd: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  const p = r.stdout.trim();
  return r.status === 0 && p ? p : undefined;
}

/** Submits the script with sbatch; returns the job id. */
export function submit(script: string, env: NodeJS.ProcessEnv = process.env): string {
  const sbatch = which('sbatch');
  if (!sbatch) throw new Error('sbatch is not on PATH: copy the directory to a Slurm login node and run `sbatch sweep.sbatch` there');
  const r = spawnSync(sbatch, ['--parsable', script], { encoding: 'utf8', env, cwd: dirname(script) });
  if (r.status !== 0) {
    const said = r.stderr.trim() || r.stdout.trim();
    // Slurm's bare answer to an array past MaxArraySize (1001 by default) says nothing of the limit
    const hint = /invalid job array specification/i.test(said) ? `; the array may exceed the cluster's MaxArraySize (1001 tasks unless the admin raised it: scontrol show config | grep MaxArraySize): split the sweep into smaller ones (fewer values or seeds each), or submit it where the limit is higher; ${dirname(script)} is left as written` : '';
    throw new Error(`sbatch failed (exit ${r.status}): ${said}${hint}`);
  }
  const id = r.stdout.trim().split(';')[0] ?? '';
  if (!/^\d+$/.test(id)) throw new Error(`sbatch printed no job id: ${r.stdout.trim()}`);
  return id;
}

export function readManifest(dir: string): Manifest {
  const file = join(resolve(dir), 'manifest.json');
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: cannot read the sweep manifest: ${e instanceof Error ? e.message : String(e)}`);
  }
  const m = doc as Partial<Manifest>;
  if (m.format !== MANIFEST_FORMAT || !Array.isArray(m.points) || !m.spec) throw new Error(`${file}: not an rxlab Slurm sweep manifest (format ${String(m.format)})`);
  return m as Manifest;
}

/** Finds the simulated RunResult inside whatever `rxlab run --json` printed (a result, a list, or a stored run's detail). */
export function findRunResult(doc: unknown, depth = 0): SimResultLike | undefined {
  if (depth > 6 || doc === null || typeof doc !== 'object') return undefined;
  if (Array.isArray(doc)) {
    for (const x of doc) {
      const r = findRunResult(x, depth + 1);
      if (r) return r;
    }
    return undefined;
  }
  const o = doc as Record<string, unknown>;
  if (typeof o['model_version'] === 'string' && o['parameters'] && typeof o['parameters'] === 'object' && !Array.isArray(o['parameters'])) {
    return o as SimResultLike;
  }
  for (const k of ['result', 'results', 'runs', 'detail', 'value']) {
    const r = findRunResult(o[k], depth + 1);
    if (r) return r;
  }
  return undefined;
}

export interface CollectReport {
  dir: string;
  total: number;
  imported: number;
  alreadyStored: number;
  /** Indexes with no finished file yet. */
  missing: number[];
  /** Files that are not (yet) valid results: partial writes, errors. */
  invalid: { index: number; file: string; why: string }[];
  /**
   * Points whose result key differs from the manifest's (another model version on the cluster): kept
   * under their own key, left out of `points` and counted as not there by the exit status.
   */
  keyMismatch: number[];
  /** Summary of the grid points whose seeds are all stored. */
  points: SweepPointDetail[];
}

/** Where a task's output went (logs/JOB_INDEX.out, the job id unknown here), for a message; '' if none. */
function taskLog(dir: string, index: number): string {
  const logs = join(dir, 'logs');
  const mine = existsSync(logs) ? readdirSync(logs).filter((f) => f.endsWith(`_${index}.out`)) : [];
  return mine.length > 0 ? ` (its output: ${mine.map((f) => join('logs', f)).join(', ')})` : '';
}

/** Why a result's key is not its point's: another model, or which knobs differ from what the manifest asked for. */
function mismatch(result: SimResultLike, manifest: Manifest, p: ManifestPoint): string {
  if (result.model_version !== manifest.modelVersion) return `simulated by model ${result.model_version}, the manifest's is ${manifest.modelVersion}`;
  const want = realBackend().resolve({ ...p, ...(manifest.spec.parameterSet ? { parameterSet: manifest.spec.parameterSet } : {}) });
  const got = result.parameters;
  const differ = [...new Set([...Object.keys(want), ...Object.keys(got)])].filter((k) => JSON.stringify(want[k]) !== JSON.stringify(got[k])).sort();
  const shown = differ.slice(0, 5).map((k) => `${k} ${JSON.stringify(got[k])} (asked ${JSON.stringify(want[k])})`);
  return differ.length > 0 ? `its parameters differ from what task ${p.index} asked for: ${shown.join(', ')}${differ.length > 5 ? `, and ${differ.length - 5} more` : ''}` : `its key differs from task ${p.index}'s`;
}

/** Imports finished points of DIR into the store (by cache key: resumable, no duplicates). */
export function collect(db: Db, dir: string, onWarning: (m: string) => void = () => undefined): CollectReport {
  const abs = resolve(dir);
  const manifest = readManifest(abs);
  const pointsDir = join(abs, 'points');
  const files = new Set(existsSync(pointsDir) ? readdirSync(pointsDir) : []);
  const report: CollectReport = { dir: abs, total: manifest.points.length, imported: 0, alreadyStored: 0, missing: [], invalid: [], keyMismatch: [], points: [] };
  const idsByIndex = new Map<number, number>();
  const batch: { p: ManifestPoint; result: SimResultLike }[] = [];
  const flush = (): void => {
    if (batch.length === 0) return;
    const { ids, inserted } = saveResults(
      db,
      batch.map((b) => ({ req: b.p, result: b.result })),
      // as a local sweep labels them, so `rxlab runs --search NAME` finds a saved set's runs
      manifest.parameterSetName !== undefined ? `sweep (slurm) · parameter set ${manifest.parameterSetName}` : 'sweep (slurm)',
    );
    batch.forEach((b, i) => idsByIndex.set(b.p.index, ids[i] as number));
    report.imported += inserted;
    report.alreadyStored += batch.length - inserted;
    batch.length = 0;
  };
  for (const p of manifest.points) {
    const name = `${p.index}.json`;
    const stored = findRunByCacheKey(db, p.key);
    if (stored !== undefined) {
      idsByIndex.set(p.index, stored);
      report.alreadyStored++;
      continue;
    }
    if (!files.has(name)) {
      report.missing.push(p.index);
      if (files.has(`${name}.part`)) onWarning(`points/${name}.part: task ${p.index} is running or died mid-write; ignored${taskLog(abs, p.index)}`);
      continue;
    }
    const file = join(pointsDir, name);
    let result: SimResultLike | undefined;
    try {
      const text = readFileSync(file, 'utf8');
      result = findRunResult(JSON.parse(text));
      if (!result) throw new Error('no simulated result (model_version + parameters) in it');
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      report.invalid.push({ index: p.index, file, why });
      onWarning(`${file}: ignored, not a finished result (${why})`);
      continue;
    }
    // A file left by an earlier sweep written to the same folder, or copied over another: its task
    // asked for another run. Stored under this point it would pass one seed's result off as another's.
    const who = result as { seed?: unknown; workload?: unknown; system?: unknown };
    const wrong = (['seed', 'workload', 'system'] as const).find((k) => who[k] !== undefined && who[k] !== p[k]);
    if (wrong !== undefined) {
      const why = `it is the result of ${wrong} ${String(who[wrong])}, task ${p.index} asks for ${wrong} ${String(p[wrong])} (a file of an earlier sweep? run the task again)`;
      report.invalid.push({ index: p.index, file, why });
      onWarning(`${file}: ignored, ${why}`);
      continue;
    }
    if (keyOfResult(result, p.system, p.workload, p.seed) !== p.key) {
      // another model version or parameter set: a true result, kept under its own key, but not this
      // sweep's point — the summary and the exit status count it as not there
      report.keyMismatch.push(p.index);
      onWarning(`${file}: ${mismatch(result, manifest, p)}; stored under the result's own key, not counted in this sweep`);
      saveResults(db, [{ req: p, result }], 'sweep (slurm, other model)');
      continue;
    }
    batch.push({ p, result });
    if (batch.length >= 64) flush();
  }
  flush();
  // Interval summary per grid point, over the seeds that are stored.
  const byPoint = new Map<number, ManifestPoint[]>();
  for (const p of manifest.points) byPoint.set(p.point, [...(byPoint.get(p.point) ?? []), p]);
  for (const ps of byPoint.values()) {
    const ids = ps.map((p) => idsByIndex.get(p.index)).filter((x): x is number => x !== undefined);
    const m = loadMetrics(db, ids);
    report.points.push({
      values: ps[0]?.values ?? {},
      seeds: ps.filter((p) => idsByIndex.has(p.index)).map((p) => p.seed),
      runIds: ids,
      metrics: summarize(ids.map((id) => m.get(id) ?? {})),
    });
  }
  return report;
}
