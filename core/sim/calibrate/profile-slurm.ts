/**
 * Profiles beyond one machine: each multiplier's profile is an independent set of refits, so
 * `rxlab calibrate --profile --slurm --out DIR` writes one job-array task per multiplier (task i runs
 * `rxlab calibrate --profile --knobs K --grid … --json` → DIR/profiles/i.json), and
 * `rxlab calibrate --collect DIR` merges the finished ones into the report a local run prints.
 * The notebook's profile panel submits the same array (core/handlers/profile.ts).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { jobArrayScript, repoRoot, writeAtomic } from '../../sweep/slurm.js';
import { MODEL_VERSION } from '../version.js';
import type { ProfileReport } from './profile.js';

export const PROFILE_FORMAT = 'rxlab-slurm-profile/1';

export interface ProfileManifest {
  format: typeof PROFILE_FORMAT;
  createdAt: string;
  modelVersion: string;
  repo: string;
  knobs: string[];
  grid: number[];
  rounds: number;
}

export interface ProfileSlurmOptions {
  /** CPUs per task: its worker pool uses what it is given (default 2). */
  cpus?: number;
  /** Extra #SBATCH lines, e.g. ["--partition=debug"]. */
  sbatch?: string[];
  node?: string;
}

/** Writes DIR/manifest.json, DIR/tasks.tsv and DIR/profile.sbatch; returns the script path. */
export function writeSlurmProfile(knobs: readonly string[], grid: readonly number[], rounds: number, outDir: string, opts: ProfileSlurmOptions = {}): { script: string; manifest: ProfileManifest } {
  if (knobs.length === 0) throw new Error('no multipliers to profile');
  const dir = resolve(outDir);
  mkdirSync(join(dir, 'profiles'), { recursive: true });
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const repo = repoRoot();
  const manifest: ProfileManifest = { format: PROFILE_FORMAT, createdAt: new Date().toISOString(), modelVersion: MODEL_VERSION, repo, knobs: [...knobs], grid: [...grid], rounds };
  const write = (name: string, text: string, mode?: number): void => writeAtomic(dir, name, text, mode);
  write('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  // String(x) of a double reads back as the same double, so every task profiles exactly these factors.
  const args = (k: string): string[] => ['calibrate', '--profile', '--knobs', k, '--grid', grid.map(String).join(','), '--rounds', String(rounds), '--json'];
  write('tasks.tsv', `${knobs.map((k) => args(k).join('\t')).join('\n')}\n`);
  const script = jobArrayScript({
    jobName: 'rxlab-profile',
    dir,
    count: knobs.length,
    cpusPerTask: opts.cpus ?? 2,
    sbatch: opts.sbatch ?? [],
    comment: [
      `rxlab calibrate --profile: ${knobs.join(', ')} at ×${grid.join(', ×')} of the committed fit, ${rounds} evaluations per refit; written ${manifest.createdAt}.`,
      'Task i profiles the multiplier on line i+1 of tasks.tsv and writes profiles/i.json atomically.',
      `Collect with: node ${repo}/bin/rxlab.js calibrate --collect ${dir}`,
    ],
    node: opts.node ?? process.execPath,
    program: join(repo, 'bin', 'rxlab.js'),
    resultDir: 'profiles',
  });
  write('profile.sbatch', script, 0o755);
  return { script: join(dir, 'profile.sbatch'), manifest };
}

/** Whether DIR holds a profile job (`rxlab calibrate --collect` serves both kinds). */
export function isProfileJob(dir: string): boolean {
  try {
    return (JSON.parse(readFileSync(join(resolve(dir), 'manifest.json'), 'utf8')) as { format?: unknown }).format === PROFILE_FORMAT;
  } catch {
    return false;
  }
}

function readManifest(dir: string): ProfileManifest {
  const file = join(dir, 'manifest.json');
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: cannot read the profile manifest: ${e instanceof Error ? e.message : String(e)}`);
  }
  const m = doc as Partial<ProfileManifest>;
  if (m.format !== PROFILE_FORMAT || !Array.isArray(m.knobs) || !Array.isArray(m.grid)) throw new Error(`${file}: not an rxlab Slurm profile manifest (format ${String(m.format)})`);
  return m as ProfileManifest;
}

/** One task's output, checked against the manifest. */
function readProfile(file: string, knob: string, manifest: ProfileManifest): ProfileReport {
  const r = JSON.parse(readFileSync(file, 'utf8')) as Partial<ProfileReport>;
  if (!Array.isArray(r.profiles) || r.profiles.length !== 1 || r.profiles[0]?.knob !== knob) throw new Error(`not the output of \`rxlab calibrate --profile --knobs ${knob} --json\``);
  if (r.model_version !== manifest.modelVersion) throw new Error(`model ${String(r.model_version)}, the manifest's is ${manifest.modelVersion}: the cluster runs another rxlab`);
  if (r.rounds !== manifest.rounds) throw new Error(`${String(r.rounds)} evaluations per refit, the manifest asked for ${manifest.rounds}`);
  return r as ProfileReport;
}

export interface ProfileCollect {
  dir: string;
  /** The finished multipliers' profiles as one report, in the manifest's order (null: none finished). */
  report: ProfileReport | null;
  finished: number;
  total: number;
  missing: number[];
  invalid: Array<{ index: number; file: string; why: string }>;
}

/** Reads DIR's finished profiles (resumable: run it again while tasks are still running). */
export function collectProfile(outDir: string): ProfileCollect {
  const dir = resolve(outDir);
  const manifest = readManifest(dir);
  const resultDir = join(dir, 'profiles');
  const files = new Set(existsSync(resultDir) ? readdirSync(resultDir) : []);
  const out: ProfileCollect = { dir, report: null, finished: 0, total: manifest.knobs.length, missing: [], invalid: [] };
  const parts: ProfileReport[] = [];
  manifest.knobs.forEach((knob, index) => {
    const name = `${index}.json`;
    if (!files.has(name)) {
      out.missing.push(index);
      return;
    }
    const file = join(resultDir, name);
    try {
      parts.push(readProfile(file, knob, manifest));
    } catch (e) {
      out.invalid.push({ index, file, why: e instanceof Error ? e.message : String(e) });
    }
  });
  out.finished = parts.length;
  const first = parts[0];
  if (first !== undefined) out.report = { ...first, profiles: parts.flatMap((p) => p.profiles) };
  return out;
}
