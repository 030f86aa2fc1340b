/**
 * Cross-validation beyond one machine: the folds are independent calibrations, so
 * `rxlab calibrate --cross-validate --slurm --out DIR` writes them as a Slurm job array (task i runs
 * `rxlab calibrate --holdout SPEC --json` for fold i → DIR/folds/i.json) and
 * `rxlab calibrate --collect DIR` merges the finished folds into the report the local run prints.
 * On a cluster the whole cross-validation then takes about as long as one fold.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { repoRoot } from '../../sweep/slurm.js';
import { readTaskManifest, readTaskResults, writeTaskFolder } from '../../sweep/task-folder.js';
import { MODEL_VERSION } from '../version.js';
import { summarise, type CrossValidatedCell, type CrossValidationReport, type Fold } from './holdout.js';

export const CROSSVAL_FORMAT = 'rxlab-slurm-crossval/1';

export interface CrossValManifest {
  format: typeof CROSSVAL_FORMAT;
  createdAt: string;
  modelVersion: string;
  repo: string;
  folds_by: string;
  rounds: number;
  seeds: number;
  folds: Array<{ index: number; name: string; spec: string }>;
}

export interface CrossValSlurmOptions {
  rounds: number;
  seeds: number;
  /** CPUs per fold task: its worker pool uses what it is given (default 2). */
  cpus?: number;
  /** Extra #SBATCH lines, e.g. ["--partition=debug", "--time=01:00:00"]. */
  sbatch?: string[];
  node?: string;
}

/** Writes DIR/manifest.json, DIR/tasks.tsv and DIR/crossval.sbatch; returns the script path. */
export function writeSlurmCrossValidation(folds: Fold[], foldsBy: string, outDir: string, opts: CrossValSlurmOptions): { script: string; manifest: CrossValManifest } {
  const manifest: CrossValManifest = {
    format: CROSSVAL_FORMAT,
    createdAt: new Date().toISOString(),
    modelVersion: MODEL_VERSION,
    repo: repoRoot(),
    folds_by: foldsBy,
    rounds: opts.rounds,
    seeds: opts.seeds,
    folds: folds.map((f, index) => ({ index, name: f.name, spec: f.spec })),
  };
  const args = (spec: string): string[] => ['calibrate', '--holdout', spec, '--rounds', String(opts.rounds), '--seeds', String(opts.seeds), '--json'];
  const { script } = writeTaskFolder(outDir, {
    name: 'crossval',
    resultDir: 'folds',
    manifest,
    tasks: manifest.folds.map((f) => args(f.spec)),
    cpus: opts.cpus ?? 2,
    sbatch: opts.sbatch ?? [],
    node: opts.node ?? process.execPath,
    comment: [
      `rxlab calibrate --cross-validate: ${folds.length} folds (without ${folds.map((f) => f.name).join('; without ')}), ${opts.rounds} evaluations each; written ${manifest.createdAt}.`,
      'Task i re-runs the calibration without fold i (line i+1 of tasks.tsv) and writes folds/i.json atomically.',
    ],
    collect: 'calibrate --collect',
  });
  return { script, manifest };
}

export interface CrossValCollect {
  dir: string;
  /** The merged report of the finished folds (null: none finished). */
  report: CrossValidationReport | null;
  finished: number;
  total: number;
  /** Fold indexes with no finished file yet. */
  missing: number[];
  invalid: Array<{ index: number; file: string; why: string }>;
}

/** One fold task's output, checked against the manifest. */
function readFold(file: string, manifest: CrossValManifest): CrossValidationReport {
  const r = JSON.parse(readFileSync(file, 'utf8')) as Partial<CrossValidationReport>;
  if (!Array.isArray(r.cells) || !Array.isArray(r.folds) || r.folds.length !== 1) throw new Error('not the output of `rxlab calibrate --holdout --json`');
  if (r.model_version !== manifest.modelVersion) throw new Error(`model ${String(r.model_version)}, the manifest's is ${manifest.modelVersion}: the cluster runs another rxlab`);
  if (r.rounds !== manifest.rounds || r.seeds?.length !== manifest.seeds) throw new Error(`${String(r.rounds)} evaluations on ${String(r.seeds?.length)} seeds, the manifest asked for ${manifest.rounds} on ${manifest.seeds}`);
  return r as CrossValidationReport;
}

/**
 * The folds' reports as one, as the local run gives it: in-sample cells from the first (every fold
 * task computes the same committed calibration on the same seeds), each fold's held-out cells and
 * summary, named as the manifest names them.
 */
export function mergeFolds(parts: Array<{ name: string; report: CrossValidationReport }>, foldsBy: string): CrossValidationReport {
  const first = parts[0]?.report;
  if (first === undefined) throw new Error('no folds to merge');
  const cells: CrossValidatedCell[] = first.cells.map((c) => ({ ...c, fold: null, held_out_simulated: null, held_out_error_pct: null, held_out_within: null }));
  const byLabel = new Map(cells.map((c) => [c.label, c]));
  for (const { name, report } of parts) {
    for (const c of report.cells) {
      if (c.fold === null) continue;
      const into = byLabel.get(c.label);
      if (into === undefined) continue;
      into.fold = name;
      into.held_out_simulated = c.held_out_simulated;
      into.held_out_error_pct = c.held_out_error_pct;
      into.held_out_within = c.held_out_within;
    }
  }
  return {
    model_version: first.model_version,
    folds_by: foldsBy,
    seeds: first.seeds,
    rounds: first.rounds,
    in_sample_groups: first.in_sample_groups,
    folds: parts.map(({ name, report }) => ({ ...(report.folds[0] as CrossValidationReport['folds'][number]), fold: name })),
    cells,
    summary: summarise(cells),
  };
}

/** Reads DIR's finished folds (resumable: run it again while folds are still running). */
export function collectCrossValidation(outDir: string): CrossValCollect {
  const dir = resolve(outDir);
  const manifest = readTaskManifest<CrossValManifest>(dir, CROSSVAL_FORMAT, 'cross-validation', (m) => Array.isArray(m.folds));
  const r = readTaskResults(dir, 'folds', manifest.folds.length, (file) => readFold(file, manifest));
  const parts = r.parts.map((p) => ({ name: manifest.folds[p.index]?.name ?? `fold ${p.index}`, report: p.value }));
  return {
    dir,
    report: parts.length > 0 ? mergeFolds(parts, manifest.folds_by) : null,
    finished: parts.length,
    total: manifest.folds.length,
    missing: r.missing,
    invalid: r.invalid,
  };
}
