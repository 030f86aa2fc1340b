/**
 * A folder of `rxlab` tasks for a Slurm job array, shared by the calibration's cross-validation
 * folds and profiles: DIR/manifest.json (what was asked), DIR/tasks.tsv (one line of CLI arguments
 * per task), DIR/NAME.sbatch, and each task's output in DIR/RESULTS/i.json; and the reading back of
 * those results by index, so a collector can say which are missing or damaged.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { jobArrayScript, repoRoot, writeAtomic } from './slurm.js';

export interface TaskFolder {
  /** Script DIR/NAME.sbatch, job name rxlab-NAME. */
  name: string;
  resultDir: string;
  manifest: object;
  /** `rxlab` arguments of each task. */
  tasks: string[][];
  cpus: number;
  sbatch: string[];
  node: string;
  /** What the array does, for the script's header; the "Collect with" line is added. */
  comment: string[];
  /** The command that collects it, after `rxlab` (e.g. "calibrate --collect"). */
  collect: string;
}

/** Writes the folder; returns its absolute path and the script's. */
export function writeTaskFolder(outDir: string, f: TaskFolder): { dir: string; script: string } {
  const dir = resolve(outDir);
  mkdirSync(join(dir, f.resultDir), { recursive: true });
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const repo = repoRoot();
  writeAtomic(dir, 'manifest.json', `${JSON.stringify(f.manifest, null, 2)}\n`);
  writeAtomic(dir, 'tasks.tsv', `${f.tasks.map((t) => t.join('\t')).join('\n')}\n`);
  const script = jobArrayScript({
    jobName: `rxlab-${f.name}`,
    dir,
    count: f.tasks.length,
    cpusPerTask: f.cpus,
    sbatch: f.sbatch,
    comment: [...f.comment, `Collect with: node ${repo}/bin/rxlab.js ${f.collect} ${dir}`],
    node: f.node,
    program: join(repo, 'bin', 'rxlab.js'),
    resultDir: f.resultDir,
  });
  writeAtomic(dir, `${f.name}.sbatch`, script, 0o755);
  return { dir, script: join(dir, `${f.name}.sbatch`) };
}

/** DIR/manifest.json if it is of this format (`check` adds the fields it needs), or an error naming the file. */
export function readTaskManifest<M>(dir: string, format: string, what: string, check: (m: Partial<M>) => boolean): M {
  const file = join(resolve(dir), 'manifest.json');
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: cannot read the ${what} manifest: ${e instanceof Error ? e.message : String(e)}`);
  }
  const m = doc as Partial<M> & { format?: unknown };
  if (m.format !== format || !check(m)) throw new Error(`${file}: not an rxlab Slurm ${what} manifest (format ${String(m.format)})`);
  return m as M;
}

export interface TaskResults<T> {
  parts: { index: number; value: T }[];
  /** Task indexes with no finished file yet. */
  missing: number[];
  invalid: { index: number; file: string; why: string }[];
}

/** Reads DIR/RESULTS/i.json for i < total with `read` (which throws on a result it cannot use). */
export function readTaskResults<T>(dir: string, resultDir: string, total: number, read: (file: string, index: number) => T): TaskResults<T> {
  const d = join(resolve(dir), resultDir);
  const files = new Set(existsSync(d) ? readdirSync(d) : []);
  const out: TaskResults<T> = { parts: [], missing: [], invalid: [] };
  for (let index = 0; index < total; index++) {
    const name = `${index}.json`;
    if (!files.has(name)) {
      out.missing.push(index);
      continue;
    }
    const file = join(d, name);
    try {
      out.parts.push({ index, value: read(file, index) });
    } catch (e) {
      out.invalid.push({ index, file, why: e instanceof Error ? e.message : String(e) });
    }
  }
  return out;
}
