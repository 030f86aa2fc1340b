/**
 * Profiles beyond one machine: each multiplier's profile is an independent set of refits, so
 * `rxlab calibrate --profile --slurm --out DIR` writes one job-array task per multiplier (task i runs
 * `rxlab calibrate --profile --knobs K --grid … --json` → DIR/profiles/i.json), and
 * `rxlab calibrate --collect DIR` merges the finished ones into the report a local run prints.
 * The notebook's profile panel submits the same array (core/handlers/profile.ts).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { repoRoot } from '../../sweep/slurm.js';
import { readTaskManifest, readTaskResults, writeTaskFolder } from '../../sweep/task-folder.js';
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
  const manifest: ProfileManifest = { format: PROFILE_FORMAT, createdAt: new Date().toISOString(), modelVersion: MODEL_VERSION, repo: repoRoot(), knobs: [...knobs], grid: [...grid], rounds };
  // String(x) of a double reads back as the same double, so every task profiles exactly these factors.
  const args = (k: string): string[] => ['calibrate', '--profile', '--knobs', k, '--grid', grid.map(String).join(','), '--rounds', String(rounds), '--json'];
  const { script } = writeTaskFolder(outDir, {
    name: 'profile',
    resultDir: 'profiles',
    manifest,
    tasks: knobs.map(args),
    cpus: opts.cpus ?? 2,
    sbatch: opts.sbatch ?? [],
    node: opts.node ?? process.execPath,
    comment: [
      `rxlab calibrate --profile: ${knobs.join(', ')} at ×${grid.join(', ×')} of the committed fit, ${rounds} evaluations per refit; written ${manifest.createdAt}.`,
      'Task i profiles the multiplier on line i+1 of tasks.tsv and writes profiles/i.json atomically.',
    ],
    collect: 'calibrate --collect',
  });
  return { script, manifest };
}

/** Whether DIR holds a profile job (`rxlab calibrate --collect` serves both kinds). */
export function isProfileJob(dir: string): boolean {
  try {
    return (JSON.parse(readFileSync(join(resolve(dir), 'manifest.json'), 'utf8')) as { format?: unknown }).format === PROFILE_FORMAT;
  } catch {
    return false;
  }
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
  const manifest = readTaskManifest<ProfileManifest>(dir, PROFILE_FORMAT, 'profile', (m) => Array.isArray(m.knobs) && Array.isArray(m.grid));
  const r = readTaskResults(dir, 'profiles', manifest.knobs.length, (file, i) => readProfile(file, manifest.knobs[i] ?? '', manifest));
  const parts = r.parts.map((p) => p.value);
  const first = parts[0];
  return {
    dir,
    report: first === undefined ? null : { ...first, profiles: parts.flatMap((p) => p.profiles) },
    finished: parts.length,
    total: manifest.knobs.length,
    missing: r.missing,
    invalid: r.invalid,
  };
}
