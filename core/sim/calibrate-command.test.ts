import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { captureIO as fakeIO } from '../cli-capture.js';
import { formatSensitivity, type SensitivityReport } from './calibrate/sensitivity.js';
import { simCommands } from './commands.js';
import { logCommands } from '../logs/commands.js';
import { appRoot } from '../paths.js';
import { openStore } from '../store/db.js';
import { saveParameterSet } from '../sweep/paramsets.js';
import { calibratedParams } from './systems.js';
import { MODEL_VERSION } from './version.js';
import { destroyPool } from './pool.js';

const calibrate = simCommands.find((c) => c.name === 'calibrate')!;

afterAll(async () => {
  await destroyPool();
});

describe('rxlab calibrate --implied', () => {
  it('prints the implied-cost report against the paper and writes nothing', async () => {
    const io = fakeIO();
    expect(await calibrate.run(['--implied', '--json', '--seeds', '1'], io)).toBe(0);
    expect(io.outText.endsWith('\n')).toBe(true);
    const rep = JSON.parse(io.outText) as { cells: Array<{ system: string; metric: string; error_implied_pct: number }>; costs: Array<{ name: string }> };
    // Table V has 13 cells (Linux has only a total).
    expect(rep.cells).toHaveLength(13);
    expect(rep.costs.map((c) => c.name)).toContain('k_user');
    // The DA driver cell needs a negative per-byte cost at the model's batching (model-notes §1.3).
    const da = rep.cells.find((c) => c.system === 'DA' && c.metric === 'driver')!;
    expect(da.error_implied_pct).toBeGreaterThan(50);
  });

  it('refuses flags that do not go together', async () => {
    const a = fakeIO();
    expect(await calibrate.run(['--seeds', '2'], a)).toBe(2);
    expect(a.errText).toMatch(/--seeds goes with --implied/);
    const b = fakeIO();
    expect(await calibrate.run(['--implied', '--rounds', '3'], b)).toBe(2);
    expect(b.errText).toMatch(/--rounds does not go with --implied/);
    const c = fakeIO();
    expect(await calibrate.run(['--sensitivity', '--measured', 'Foo=1'], c)).toBe(2);
    expect(c.errText).toMatch(/--measured: expected one of Linux, Xen, LRO, BO, DA, got "Foo"/);
  });

  it('a fit with another budget than the documented one does not replace the committed calibration without --out', async () => {
    const paramsFile = fileURLToPath(new URL('./calibrated-params.json', import.meta.url));
    const before = readFileSync(paramsFile, 'utf8');
    const io = fakeIO();
    expect(await calibrate.run(['--rounds', '11'], io)).toBe(2);
    expect(io.errText).toMatch(/--rounds 11 is not the documented budget \(1452\).*give --out FILE/);
    expect(readFileSync(paramsFile, 'utf8')).toBe(before);
    // --out is the plain fit's file here, not a Slurm folder
    const bad = fakeIO();
    expect(await calibrate.run(['--implied', '--out', 'x'], bad)).toBe(2);
    expect(bad.errText).toMatch(/--out goes with --slurm/);
  });
});

describe('rxlab calibrate --sensitivity', () => {
  it('prints the elasticities of every cell and a simulated closure check per misfit, and writes nothing', async () => {
    const paramsFile = fileURLToPath(new URL('./calibrated-params.json', import.meta.url));
    const before = readFileSync(paramsFile, 'utf8');
    const io = fakeIO();
    expect(await calibrate.run(['--sensitivity', '--json', '--seeds', '1', '--step', '20'], io)).toBe(0);
    expect(readFileSync(paramsFile, 'utf8')).toBe(before);
    const rep = JSON.parse(io.outText) as {
      step: number;
      knobs: string[];
      cells: Array<{ label: string; within_tolerance: boolean; elasticity: Record<string, number | null> }>;
      closures: Array<{ cell: string; joint: { simulated: { within_tolerance: number } } | null }>;
    };
    expect(rep.step).toBe(0.2);
    expect(rep.knobs).toContain('pirq');
    expect(rep.cells).toHaveLength(25);
    for (const c of rep.cells) expect(Object.keys(c.elasticity).sort()).toEqual([...rep.knobs].sort());
    // One closure check per cell outside tolerance, in table order.
    expect(rep.closures.map((c) => c.cell)).toEqual(rep.cells.filter((c) => !c.within_tolerance).map((c) => c.label));
    const text = formatSensitivity(rep as unknown as SensitivityReport);
    expect(text).toMatch(/^V {5}DA {5}driver/m);
    expect(text).toMatch(/What closing each misfit would take/);
  });

  it('--measured: against the tables of imported logs, from the store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxlab-sens-cli-'));
    try {
      const dbPath = join(dir, 'db.sqlite');
      const imp = Object.assign(fakeIO(), { dbPath });
      const log = join(appRoot(), '..', 'shared', 'real-logs', 'netperf', 'netperf-2.4.4-manual-tcp_stream-default-localhost.txt');
      expect(await logCommands.find((c) => c.name === 'import')!.run([log], imp)).toBe(0);
      const io = Object.assign(fakeIO(), { dbPath });
      expect(await calibrate.run(['--sensitivity', '--measured', 'Xen=1', '--seeds', '1', '--json'], io)).toBe(0);
      const rep = JSON.parse(io.outText) as { target: string; cells: Array<{ label: string; paper: number }> };
      expect(rep.target).toBe('your measured Xen row');
      expect(rep.cells.map((c) => c.label)).toEqual(['IV Xen Mbit/s']);
      expect(rep.cells[0]?.paper).toBeCloseTo(2997.84, 2);
      // --params: around a saved set (here the calibration with a client twice as slow)
      const db = openStore(dbPath);
      const p = calibratedParams();
      saveParameterSet(db, { name: 'slow-client', params: { ...p, l_ext_us: p.l_ext_us * 2 }, modelVersion: MODEL_VERSION });
      db.close();
      const around = Object.assign(fakeIO(), { dbPath });
      expect(await calibrate.run(['--sensitivity', '--params', 'slow-client', '--measured', 'Xen=1', '--morris', '2', '--seeds', '1', '--json'], around)).toBe(0);
      const m = JSON.parse(around.outText) as { method: string; parameterSet: string; cells: Array<{ label: string }> };
      expect(m).toMatchObject({ method: 'morris', parameterSet: 'slow-client' });
      expect(m.cells.map((c) => c.label)).toEqual(['IV Xen Mbit/s']);
      const nope = Object.assign(fakeIO(), { dbPath });
      expect(await calibrate.run(['--sensitivity', '--params', 'nope'], nope)).toBe(2);
      expect(nope.errText).toMatch(/--params: no parameter set "nope"/);
      // the CLI's top level prints it and exits 1, like every command's runtime error
      await expect(calibrate.run(['--sensitivity', '--measured', 'Xen=99'], Object.assign(fakeIO(), { dbPath }))).rejects.toThrow(
        'imported file 99 does not exist (rxlab import lists the ids)',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--morris R: global screening over ×/÷ --range, μ*, μ and σ per cell and multiplier', async () => {
    const io = fakeIO();
    expect(await calibrate.run(['--sensitivity', '--morris', '2', '--range', '1.5', '--seeds', '1', '--json'], io)).toBe(0);
    const rep = JSON.parse(io.outText) as { trajectories: number; range: number; knobs: string[]; cells: Array<{ label: string; effects: Record<string, { n: number } | null> }> };
    expect(rep.trajectories).toBe(2);
    expect(rep.range).toBe(1.5);
    expect(rep.cells).toHaveLength(25);
    for (const c of rep.cells) for (const k of rep.knobs) expect(c.effects[k]?.n, `${c.label} ${k}`).toBe(2);
  });

  it('refuses flags that do not go together', async () => {
    for (const [args, msg] of [
      [['--morris', '8'], /--morris and --range go with --sensitivity/],
      [['--sensitivity', '--morris', '8', '--step', '5'], /--step is the local analysis's/],
      [['--sensitivity', '--range', '3'], /--range goes with --morris/],
      [['--sensitivity', '--morris', '1'], /--morris: must be between 2 and 50/],
    ] as const) {
      const x = fakeIO();
      expect(await calibrate.run([...args], x)).toBe(2);
      expect(x.errText).toMatch(msg);
    }
    const e = fakeIO();
    expect(await calibrate.run(['--measured', 'Xen=1'], e)).toBe(2);
    expect(e.errText).toMatch(/--measured goes with --sensitivity/);
    const a = fakeIO();
    expect(await calibrate.run(['--sensitivity', '--implied'], a)).toBe(2);
    expect(a.errText).toMatch(/--implied and --sensitivity exclude each other/);
    const b = fakeIO();
    expect(await calibrate.run(['--step', '5'], b)).toBe(2);
    expect(b.errText).toMatch(/--step goes with --sensitivity/);
    const c = fakeIO();
    expect(await calibrate.run(['--sensitivity', '--step', 'ten'], c)).toBe(2);
    expect(c.errText).toMatch(/--step: expected a number, got "ten"/);
    const d = fakeIO();
    expect(await calibrate.run(['--sensitivity', '--rounds', '11'], d)).toBe(2);
    expect(d.errText).toMatch(/--rounds does not go with --sensitivity/);
  });
});

describe('rxlab calibrate --cross-validate / --holdout', () => {
  it('--holdout: fits without the cells, predicts them beside the committed calibration, and writes nothing', async () => {
    const paramsFile = fileURLToPath(new URL('./calibrated-params.json', import.meta.url));
    const before = readFileSync(paramsFile, 'utf8');
    const io = fakeIO();
    expect(await calibrate.run(['--holdout', 'VI:LRO', '--rounds', '11', '--seeds', '1', '--json'], io)).toBe(0);
    expect(readFileSync(paramsFile, 'utf8')).toBe(before);
    const rep = JSON.parse(io.outText) as { folds_by: string; rounds: number; seeds: number[]; folds: Array<{ fold: string; fitted_cells: number }>; cells: Array<{ system: string; metric: string; fold: string | null; held_out_error_pct: number | null }> };
    expect(rep.folds_by).toBe('VI:LRO');
    expect(rep.rounds).toBe(11);
    expect(rep.seeds).toEqual([1]);
    expect(rep.folds).toEqual([expect.objectContaining({ fold: 'VI:LRO', fitted_cells: 24 })]);
    expect(rep.cells.filter((c) => c.fold !== null).map((c) => `${c.system} ${c.metric}`)).toEqual(['LRO lro_rate']);
    expect(typeof rep.cells.find((c) => c.fold !== null)!.held_out_error_pct).toBe('number');
    expect(io.errText).toMatch(/1 fold \(without VI:LRO\).*seed 1\n/);
  }, 60_000);

  it('refuses flags that do not go together, and holdouts the paper lacks', async () => {
    for (const [args, msg] of [
      [['--cross-validate', '--holdout', 'DA'], /--cross-validate and --holdout exclude each other/],
      [['--cross-validate', '--sensitivity'], /--cross-validate does not go with --sensitivity/],
      [['--holdout', 'DA', '--implied'], /--holdout does not go with --implied/],
      [['--folds', 'tables'], /--folds goes with --cross-validate/],
      [['--cross-validate', '--folds', 'cells'], /--folds: expected systems or tables, got "cells"/],
      [['--holdout', 'VI:Linux'], /the paper has no such cells/],
      [['--holdout', 'Windows'], /"Windows" is not a system/],
    ] as const) {
      const x = fakeIO();
      expect(await calibrate.run([...args], x), args.join(' ')).toBe(2);
      expect(x.errText).toMatch(msg);
    }
  });
});

describe('rxlab calibrate --profile', () => {
  it('profiles the named knobs over the grid (the centre always included) and writes nothing', async () => {
    const paramsFile = fileURLToPath(new URL('./calibrated-params.json', import.meta.url));
    const before = readFileSync(paramsFile, 'utf8');
    const io = fakeIO();
    expect(await calibrate.run(['--profile', '--knobs', 'm_align', '--grid', '1.5', '--rounds', '11', '--json'], io)).toBe(0);
    expect(readFileSync(paramsFile, 'utf8')).toBe(before);
    const rep = JSON.parse(io.outText) as { rounds: number; profiles: Array<{ knob: string; points: Array<{ factor: number; objective: number }>; verdict: string }> };
    expect(rep.rounds).toBe(11);
    expect(rep.profiles.map((p) => p.knob)).toEqual(['m_align']);
    expect(rep.profiles[0]!.points.map((p) => p.factor)).toEqual([1, 1.5]);
    // the centre is the committed fit itself: its objective as calibrate wrote it
    const committed = (JSON.parse(before) as { report: { objective: number } }).report.objective;
    expect(rep.profiles[0]!.points[0]!.objective).toBeCloseTo(committed, 9);
    expect(io.errText).toMatch(/m_align at ×1\.00, ×1\.50 of the committed fit; 2 refits of 11 evaluations each/);
  }, 60_000);

  it('refuses flags that do not go together, unknown knobs and bad factors', async () => {
    for (const [args, msg] of [
      [['--knobs', 'pirq'], /--knobs and --grid go with --profile/],
      [['--profile', '--sensitivity'], /--profile does not go with --sensitivity/],
      [['--profile', '--holdout', 'DA'], /--profile does not go with --holdout/],
      [['--profile', '--seeds', '2'], /--profile does not go with --seeds/],
      [['--profile', '--knobs', 'pirq,cpu'], /--knobs: "cpu" is not a fitted multiplier/],
      [['--profile', '--grid', '0.5,zero'], /--grid: "zero" is not a factor between 0\.1 and 10/],
      [['--profile', '--grid', '20'], /--grid: "20" is not a factor/],
    ] as const) {
      const x = fakeIO();
      expect(await calibrate.run([...args], x), args.join(' ')).toBe(2);
      expect(x.errText).toMatch(msg);
    }
  });
});

describe('rxlab calibrate --cross-validate --slurm / --collect', () => {
  it('writes a job array of folds without running it, and --collect says what is not finished yet', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxlab-cv-slurm-'));
    try {
      const out = join(dir, 'cv');
      const io = fakeIO();
      expect(await calibrate.run(['--cross-validate', '--folds', 'tables', '--rounds', '22', '--slurm', '--out', out, '--cpus', '4', '--sbatch=--time=02:00:00'], io)).toBe(0);
      expect(io.outText).toBe(`submit with: sbatch ${join(out, 'crossval.sbatch')}\nthen: rxlab calibrate --collect ${out}\n`);
      const script = readFileSync(join(out, 'crossval.sbatch'), 'utf8');
      expect(script).toContain('#SBATCH --array=0-3\n');
      expect(script).toContain('#SBATCH --cpus-per-task=4\n');
      expect(script).toContain('#SBATCH --time=02:00:00\n');
      expect(readFileSync(join(out, 'tasks.tsv'), 'utf8').split('\n').filter(Boolean).map((l) => l.split('\t')[2])).toEqual(['IV', 'V', 'VI', 'VII']);
      const c = fakeIO();
      expect(await calibrate.run(['--collect', out], c)).toBe(3);
      expect(c.errText).toMatch(/0 of 4 folds finished, 4 not yet \(0, 1, 2, 3\)/);
      expect(c.outText).toBe('');
      // not a cross-validation directory: said with the file
      await expect(calibrate.run(['--collect', dir], fakeIO())).rejects.toThrow(/manifest\.json: cannot read the cross-validation manifest/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes one profile task per multiplier with --profile --slurm, and --collect knows a profile job', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxlab-profile-slurm-'));
    try {
      const out = join(dir, 'profile');
      const io = fakeIO();
      expect(await calibrate.run(['--profile', '--knobs', 'gcopy,pirq', '--grid', '2,0.5', '--rounds', '20', '--slurm', '--out', out, '--cpus', '1'], io)).toBe(0);
      expect(io.outText).toBe(`submit with: sbatch ${join(out, 'profile.sbatch')}\nthen: rxlab calibrate --collect ${out}\n`);
      expect(readFileSync(join(out, 'profile.sbatch'), 'utf8')).toContain('#SBATCH --array=0-1\n');
      // each task profiles its multiplier at every factor, the centre included
      expect(readFileSync(join(out, 'tasks.tsv'), 'utf8')).toBe('calibrate\t--profile\t--knobs\tgcopy\t--grid\t0.5,1,2\t--rounds\t20\t--json\ncalibrate\t--profile\t--knobs\tpirq\t--grid\t0.5,1,2\t--rounds\t20\t--json\n');
      const c = fakeIO();
      expect(await calibrate.run(['--collect', out], c)).toBe(3);
      expect(c.errText).toMatch(/0 of 2 multipliers finished, 2 not yet \(0, 1\)/);
      mkdirSync(join(out, 'profiles'), { recursive: true });
      writeFileSync(join(out, 'profiles', '1.json'), '{"profiles": [');
      const d = fakeIO();
      expect(await calibrate.run(['--collect', out], d)).toBe(3);
      expect(d.errText).toMatch(/profiles\/1\.json: ignored \(.*JSON/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses Slurm flags without --slurm, --slurm without a fold or --out, and --collect with other flags', async () => {
    for (const [args, msg] of [
      [['--cross-validate', '--out', 'x'], /--out goes with --slurm/],
      [['--holdout', 'DA', '--submit'], /--submit goes with --slurm/],
      [['--slurm', '--out', 'x'], /--slurm goes with --cross-validate, --holdout or --profile/],
      [['--cross-validate', '--slurm'], /--slurm needs --out DIR/],
      [['--collect', 'x', '--rounds', '11'], /--collect takes only --json \(not --rounds\)/],
      [['--cross-validate', '--slurm', '--out', 'x', '--cpus', '0'], /--cpus: must be between 1 and 1024/],
    ] as const) {
      const x = fakeIO();
      expect(await calibrate.run([...args], x), args.join(' ')).toBe(2);
      expect(x.errText).toMatch(msg);
    }
  });
});
